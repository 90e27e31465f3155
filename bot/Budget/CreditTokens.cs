namespace EmpowerBot.Budget;

/// <summary>One word of a credit command: as typed (with punctuation), trimmed, and lower-cased for matching.</summary>
internal sealed record Token(string Raw, string Text, string Lower)
{
    /// <summary>A dash or an ampersand: kept so the reason reads as written, but it means nothing else.</summary>
    public bool IsNoise => !Lower.Any(char.IsLetterOrDigit) && Lower != "#" && CreditTokens.CurrencyMarker(Lower) is null;
}

/// <summary>Splits a credit command into words and tells what each one looks like (an amount, a customer…).</summary>
internal static class CreditTokens
{
    /// <summary>Words that lead to a customer reference ("customer 77", "acct 1042").</summary>
    private static readonly HashSet<string> CustomerWords = ["customer", "cust", "client", "account", "acct", "id", "ref"];

    /// <summary>Words allowed between "to" and the reference: "to the customer no. 1042".</summary>
    private static readonly HashSet<string> ChainWords = ["the", "customer", "cust", "client", "account", "acct", "no", "number", "nr", "id", "ref", "#"];

    /// <summary>
    /// Normalize lower-cases character by character, so where its result appears in the original (white space
    /// folded) the rep's own spelling can be read back; a mention in the middle of the text defeats that, and
    /// then the lower-case form is used.
    /// </summary>
    public static string CasedLike(string original, string normalized)
    {
        if (normalized.Length == 0) return normalized;
        var folded = string.Join(' ', original.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        var at = folded.IndexOf(normalized, StringComparison.OrdinalIgnoreCase);
        return at >= 0 ? folded.Substring(at, normalized.Length) : normalized;
    }

    /// <summary>Words separated by spaces, without surrounding brackets, quotes and punctuation.</summary>
    public static List<Token> Tokenize(string text)
    {
        var tokens = new List<Token>();
        foreach (var raw in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
        {
            var trimmed = raw.TrimStart('"', '\'', '(', '[', '{', '“', '‘').TrimEnd('"', '\'', ')', ']', '}', '.', ',', ';', ':', '!', '?', '”', '’');
            if (trimmed.Length == 0) continue;
            tokens.Add(new Token(raw, trimmed, trimmed.ToLowerInvariant()));
        }
        return tokens;
    }

    /// <summary>A number standing on its own, which could be an amount or a customer ("25", "1042").</summary>
    public static bool IsBare(string lower) => lower.Length > 0 && lower.All(char.IsAsciiDigit);

    /// <summary>
    /// Looks like a reference: "#…", or digits mixed with letters, dashes or underscores; not an ordinal or a
    /// time of day ("2nd", "10am"), which reps write in reasons.
    /// </summary>
    public static bool LooksLikeId(string lower) =>
        (lower.Length > 1 && lower[0] == '#')
        || (lower.Any(char.IsAsciiDigit) && !IsBare(lower) && !(lower.Length > 2 && IsBare(lower[..^2]) && NumberSuffixes.Contains(lower[^2..])));

    private static readonly HashSet<string> NumberSuffixes = ["st", "nd", "rd", "th", "am", "pm"];

    /// <summary>
    /// A reference certain enough to take even where the reason is written ("for late delivery, ACME-1042"):
    /// letters and digits with a dash or underscore or at least three digits, so "2nd" or "10am" never pass.
    /// </summary>
    public static bool LooksLikeIdInReason(string lower) =>
        lower.Any(char.IsLetter) && lower.Any(char.IsAsciiDigit)
        && (lower.Contains('-') || lower.Contains('_') || lower.Count(char.IsAsciiDigit) >= 3);

    /// <summary>
    /// A customer named explicitly at <paramref name="i"/>: "#1042", "to 1042", "to the customer ACME-1042",
    /// "for customer 77", "acct: 1042". Returns the index of the reference, or -1. A reference needs a digit,
    /// so "for customer was unhappy" names nobody.
    /// </summary>
    public static int ExplicitCustomer(IReadOnlyList<Token> tokens, int i)
    {
        var first = tokens[i].Lower;
        if (first.Length > 1 && first[0] == '#') return i;
        var j = i + 1;
        if (first == "for")
        {
            if (j >= tokens.Count || !CustomerWords.Contains(tokens[j].Lower)) return -1;
        }
        else if (first != "to" && first != "#" && !CustomerWords.Contains(first)) return -1;
        // "to the customer account no. 1042" is as long as a chain gets; a bound keeps garbage linear.
        for (var limit = j + 5; j < tokens.Count && j < limit && ChainWords.Contains(tokens[j].Lower); j++) { }
        if (j >= tokens.Count || Amounts.Read(tokens, j) is { Strong: true }) return -1;
        return IsBare(tokens[j].Lower) || LooksLikeId(tokens[j].Lower) ? j : -1;
    }

    /// <summary>A currency symbol or ISO code: "$" stands for any dollar; otherwise the code ("EUR").</summary>
    public static string? CurrencyMarker(string lower) => lower switch
    {
        "$" => "$",
        "us$" => "USD",
        "ca$" => "CAD",
        "a$" or "au$" => "AUD",
        "nz$" => "NZD",
        "r$" => "BRL",
        "mx$" => "MXN",
        "s$" => "SGD",
        "r" => "ZAR",
        "€" => "EUR",
        "£" => "GBP",
        "¥" => "JPY",
        "₹" => "INR",
        "₩" => "KRW",
        { Length: 3 } when lower.All(char.IsAsciiLetter) && Currency.TryGet(lower, out var c) => c.Code,
        _ => null,
    };

    /// <summary>A currency named in words after a number ("25 dollars"), or a marker; "cents" is its own case.</summary>
    public static string? CurrencyWord(string lower) => lower switch
    {
        "dollar" or "dollars" or "buck" or "bucks" => "$",
        "euro" or "euros" => "EUR",
        "pound" or "pounds" or "quid" => "GBP",
        "yen" => "JPY",
        "cent" or "cents" => Amounts.Cents,
        _ => CurrencyMarker(lower),
    };
}
