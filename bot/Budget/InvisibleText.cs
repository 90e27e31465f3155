using System.Globalization;
using System.Text;

namespace EmpowerBot.Budget;

/// <summary>
/// Characters a reader cannot see: removed before the policy reads a message, so "ACME-0001,\u200B" or "ca\u200Bsh"
/// reads as what the rep's screen shows.
/// </summary>
internal static class InvisibleText
{
    /// <summary>
    /// The text without format characters (every Unicode Cf: zero-width space and joiner, soft hyphen, byte order mark,
    /// word joiner, bidirectional controls) and the other default-ignorable code points (variation selectors, fillers).
    /// Null for text that is not valid UTF-16 (a lone surrogate).
    /// </summary>
    public static string? Remove(string text)
    {
        StringBuilder? visible = null;
        for (var i = 0; i < text.Length; i++)
        {
            if (Rune.DecodeFromUtf16(text.AsSpan(i), out var rune, out var used) != System.Buffers.OperationStatus.Done) return null;
            if (IsInvisible(rune)) visible ??= new StringBuilder(text.Length).Append(text, 0, i);
            else visible?.Append(text, i, used);
            i += used - 1;
        }
        return visible?.ToString() ?? text;
    }

    private static bool IsInvisible(Rune rune) =>
        Rune.GetUnicodeCategory(rune) == UnicodeCategory.Format
        || rune.Value is >= 0xFE00 and <= 0xFE0F or >= 0xE0100 and <= 0xE01EF // variation selectors
            or 0x034F or 0x115F or 0x1160 or 0x17B4 or 0x17B5 or >= 0x180B and <= 0x180F or 0x3164 or 0xFFA0;
}
