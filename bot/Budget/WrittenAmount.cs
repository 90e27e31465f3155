namespace EmpowerBot.Budget;

/// <summary>
/// An amount as the rep wrote it, over one word ("$25") or two ("25 dollars", "USD 25").
/// <paramref name="Number"/> is what <see cref="Money.TryParse"/> reads; <paramref name="Strong"/> says it can
/// only be an amount (a currency, a sign or decimals), unlike a bare "25" that could be a customer number.
/// <paramref name="Currency"/> is the code the rep named, "$" for any dollar, or null. <paramref name="Problem"/>
/// explains a shape no currency accepts, beyond what <see cref="Money.TryParse"/> checks.
/// </summary>
internal sealed record WrittenAmount(int Index, int Count, string Text, string Number, bool Strong, string? Currency, string? Problem = null);

internal static class Amounts
{
    public const string Cents = "cents";

    private static readonly string[] NotANumber = ["nan", "infinity", "inf", "∞"];

    /// <summary>The amount starting at word <paramref name="i"/>, or null when that word is no amount.</summary>
    public static WrittenAmount? Read(IReadOnlyList<Token> tokens, int i)
    {
        var token = tokens[i];
        // Words that floating point would accept are still attempts at an amount, and are refused as such.
        if (NotANumber.Contains(token.Lower)) return new(i, 1, token.Text, token.Text, true, null);
        if (CreditTokens.CurrencyMarker(token.Lower) is { } marker && i + 1 < tokens.Count
            && ReadWord(tokens[i + 1]) is { Currency: null } after)
        {
            return new(i, 2, $"{token.Text} {tokens[i + 1].Text}", after.Number, true, marker, after.Problem);
        }
        if (ReadWord(token) is not { } number) return null;
        if (number.Currency is null && i + 1 < tokens.Count && CreditTokens.CurrencyWord(tokens[i + 1].Lower) is { } word)
            return new(i, 2, $"{token.Text} {tokens[i + 1].Text}", number.Number, true, word, number.Problem);
        return new(i, 1, token.Text, number.Number, number.Strong, number.Currency, number.Problem);
    }

    /// <summary>One word: an optional sign and currency (before or after), then digits with ',' and '.'.</summary>
    private static (string Number, bool Strong, string? Currency, string? Problem)? ReadWord(Token token)
    {
        var s = token.Lower;
        var negative = false;
        if (s.Length > 1 && s[0] is '-' or '+' or '−')
        {
            negative = s[0] != '+';
            s = s[1..];
        }
        var currency = SplitCurrency(ref s);
        if (!negative && s.Length > 1 && s[0] is '-' or '−')
        {
            negative = true;
            s = s[1..];
        }
        if (s.Length == 0 || !(char.IsAsciiDigit(s[0]) || (s[0] == '.' && s.Length > 1 && char.IsAsciiDigit(s[1])))) return null;
        if (s.All(c => char.IsAsciiDigit(c) || c is ',' or '.'))
        {
            // Money.TryParse drops every comma; only thousands groups may have one, so "25,5" is never 255.
            var problem = s.Contains(',') && !IsGrouped(s)
                ? $"'{token.Text}' is not an amount I can read; use a point for decimals, like 25.50."
                : null;
            var strong = negative || currency is not null || s.Contains('.') || s.Contains(',');
            return ((negative ? "-" : "") + s, strong, currency, problem);
        }
        // "1e309" is an attempt at an amount, not a customer: Money.TryParse refuses it with the rep's own words.
        return IsExponent(s) ? (token.Text, true, currency, null) : null;
    }

    private static string? SplitCurrency(ref string s)
    {
        for (var length = Math.Min(3, s.Length - 1); length >= 1; length--)
        {
            if (CreditTokens.CurrencyMarker(s[..length]) is { } prefix)
            {
                s = s[length..];
                return prefix;
            }
            if (CreditTokens.CurrencyMarker(s[^length..]) is { } suffix && char.IsAsciiDigit(s[^(length + 1)]))
            {
                s = s[..^length];
                return suffix;
            }
        }
        return null;
    }

    /// <summary>"1,250" or "1,250.00": one to three digits, then groups of exactly three.</summary>
    private static bool IsGrouped(string s)
    {
        var point = s.IndexOf('.');
        var groups = (point < 0 ? s : s[..point]).Split(',');
        return groups[0].Length is >= 1 and <= 3 && groups.Skip(1).All(g => g.Length == 3);
    }

    private static bool IsExponent(string s)
    {
        var e = s.IndexOf('e');
        if (e <= 0 || e == s.Length - 1) return false;
        var mantissa = s[..e];
        var exponent = s[(e + 1)..].TrimStart('+', '-');
        return mantissa.All(c => char.IsAsciiDigit(c) || c == '.') && exponent.Length > 0 && exponent.All(char.IsAsciiDigit);
    }
}
