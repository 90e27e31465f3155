using System.Globalization;
using System.Text;
using EmpowerBot.Conversation;

namespace EmpowerBot.Budget;

/// <summary>
/// The one canonical form of a customer reference ("#acme-1042" is "ACME-1042"), made once where a reference enters
/// (typed text, the credit form, the Slack modal, the hold list in configuration) so that the hold list, the
/// repeat-customer rule, the ledger, the history and the billing webhook all see the same customer under one name
/// (invariant 8). A reference that could only be a disguise of another one is refused rather than made a new customer.
/// </summary>
public static class CustomerRef
{
    public const int MaxLength = 40;

    /// <summary>
    /// Removes invisible and format characters (zero-width space and joiner, soft hyphen, byte order mark, word joiner,
    /// bidirectional overrides, variation selectors), applies Unicode NFKC (full-width and mathematical letters become
    /// plain ones), maps every dash look-alike to '-', drops a leading '#' and upper-cases. Refuses letters of another
    /// script (Cyrillic "АСМЕ" looks exactly like "ACME"), any other character outside printable ASCII except Latin
    /// letters with accents, and what cannot be part of a table key: '/', '\', '#', '?', control characters (Azure
    /// Table Storage) and '|', which separates the parts of our own partition keys.
    /// </summary>
    public static bool TryNormalize(string? text, out string customer, out string error)
    {
        customer = "";
        if (!Canonical(text ?? "", out var s))
        {
            error = "The customer reference contains a broken character; type it again.";
            return false;
        }
        s = s.Trim().TrimStart('#').Trim().ToUpperInvariant();
        if (s.Length == 0)
        {
            error = "The customer reference is empty.";
            return false;
        }
        if (s.Length > MaxLength)
        {
            error = $"'{TextCut.Shorten(s, 24)}' is too long for a customer reference (at most {MaxLength} characters).";
            return false;
        }
        if (Refusal(s) is { } refusal)
        {
            error = refusal;
            return false;
        }
        customer = s;
        error = "";
        return true;
    }

    /// <summary>
    /// Invisible characters go first, so they cannot keep an accent from composing with its letter under NFKC.
    /// False for text that is not valid UTF-16 (a lone surrogate), which no normal form exists for.
    /// </summary>
    private static bool Canonical(string text, out string canonical)
    {
        canonical = "";
        if (InvisibleText.Remove(text) is not { } visible) return false;
        var composed = visible.Normalize(NormalizationForm.FormKC);
        var dashed = new StringBuilder(composed.Length);
        foreach (var c in composed) dashed.Append(IsDash(c) ? '-' : c);
        canonical = dashed.ToString();
        return true;
    }

    /// <summary>Hyphens, dashes and minus signs a reader takes for '-'.</summary>
    private static bool IsDash(char c) =>
        c != '-' && (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.DashPunctuation || c is '\u2212' or '\u02D7' or '\u2043');

    private static string? Refusal(string s)
    {
        string? script = null;
        foreach (var rune in s.EnumerateRunes())
        {
            var c = rune.Value;
            if (c is '/' or '\\' or '#' or '?' or '|' || Rune.IsControl(rune) || Rune.IsWhiteSpace(rune))
            {
                var what = Rune.IsControl(rune) || Rune.IsWhiteSpace(rune) ? "a space or control character" : $"'{rune}'";
                return $"'{TextCut.Shorten(s, 24)}' can't be a customer reference: it contains {what}.";
            }
            if (c < 0x80 || IsAccentedLatin(rune)) continue;
            // Latin letters that are no accented A-Z ("ß", "Ø") are as rare in references as they are easy to mistake.
            if (!Rune.IsLetter(rune) || c is >= 0x00C0 and <= 0x024F or >= 0x1E00 and <= 0x1EFF)
                return $"'{TextCut.Shorten(s, 24)}' can't be a customer reference: it contains '{rune}' (U+{c:X4}).";
            script ??= ScriptOf(c);
        }
        if (script is null) return null;
        var plain = s.Any(char.IsAscii) ? $"mixes {script} letters with Latin letters or digits" : $"is written in {script} letters";
        return $"'{TextCut.Shorten(s, 24)}' {plain}, which is how look-alike references are disguised; write the customer reference "
            + "in Latin letters (A-Z) and digits, as it appears on the customer's account.";
    }

    /// <summary>"É" is "E" with an accent: a Latin letter people write in names, never a look-alike of another one.</summary>
    private static bool IsAccentedLatin(Rune rune)
    {
        var decomposed = rune.ToString().Normalize(NormalizationForm.FormD);
        return decomposed.Length > 1 && char.IsAsciiLetter(decomposed[0]) && decomposed.Skip(1).All(m =>
            CharUnicodeInfo.GetUnicodeCategory(m) == UnicodeCategory.NonSpacingMark);
    }

    private static string ScriptOf(int c) => c switch
    {
        >= 0x0400 and <= 0x052F or >= 0x1C80 and <= 0x1C8F or >= 0x2DE0 and <= 0x2DFF or >= 0xA640 and <= 0xA69F => "Cyrillic",
        >= 0x0370 and <= 0x03FF or >= 0x1F00 and <= 0x1FFF => "Greek",
        >= 0x0530 and <= 0x058F => "Armenian",
        >= 0x0250 and <= 0x02AF or >= 0x1D00 and <= 0x1DBF => "phonetic",
        _ => "non-Latin",
    };
}
