package org.xenclip.protocol;

/** Wire constants of RFB 3.8 and the Extended Clipboard pseudo-encoding (protocol.md sections 2-4). */
final class Rfb {

    static final int SECURITY_NONE = 1;

    // S->C message types (section 3).
    static final int S_FRAMEBUFFER_UPDATE = 0;
    static final int S_SET_COLOUR_MAP_ENTRIES = 1;
    static final int S_BELL = 2;
    static final int S_CUT_TEXT = 3;

    // C->S message types (section 3).
    static final int C_SET_PIXEL_FORMAT = 0;
    static final int C_SET_ENCODINGS = 2;
    static final int C_FRAMEBUFFER_UPDATE_REQUEST = 3;
    static final int C_KEY_EVENT = 4;
    static final int C_POINTER_EVENT = 5;
    static final int C_CUT_TEXT = 6;

    /** Section 4: the Extended Clipboard pseudo-encoding 0xC0A1E5CE (S32 -1063131698). */
    static final int ENCODING_EXTENDED_CLIPBOARD = 0xC0A1E5CE;

    // Section 4: formats in bits 0-15, actions in bits 24-28.
    static final int FORMAT_TEXT = 1;
    static final int FORMAT_MASK = 0xFFFF;
    static final int ACTION_CAPS = 1 << 24;
    static final int ACTION_REQUEST = 1 << 25;
    static final int ACTION_PEEK = 1 << 26;
    static final int ACTION_NOTIFY = 1 << 27;
    static final int ACTION_PROVIDE = 1 << 28;
    static final int ALL_ACTIONS = ACTION_CAPS | ACTION_REQUEST | ACTION_PEEK | ACTION_NOTIFY | ACTION_PROVIDE;

    /** Bytes of {@code RFB 003.008\n}. */
    static final int VERSION_LENGTH = 12;

    /**
     * Section 3: a cut-text length is a U32, but every implementation treats it as S32 (the Extended
     * Clipboard makes the sign meaningful), so 2^31 or more can come from no real peer: malformed, not
     * oversize. Below that, a length over the payload cap is drained (profile rule 4).
     */
    static final long MAX_MESSAGE_LENGTH = Integer.MAX_VALUE;

    /** Section 4: an extended message starts with U32 flags, so {@code -length} below 4 is malformed. */
    static final long MIN_EXTENDED_LENGTH = 4;

    private Rfb() {}
}
