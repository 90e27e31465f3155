namespace EmpowerBot.Budget;

/// <summary>
/// The one normal form of a customer reference ("#acme-1042" is "ACME-1042"), used by the parser, the hold
/// list and the ledger alike so that the same customer is always the same key.
/// </summary>
public static class CustomerRef
{
    public const int MaxLength = 40;

    /// <summary>
    /// Upper-cases and drops a leading '#'. Refuses what cannot be part of a table key: '/', '\', '#', '?' and
    /// control characters (Azure Table Storage), and '|', which separates the parts of our own partition keys.
    /// </summary>
    public static bool TryNormalize(string? text, out string customer, out string error)
    {
        customer = "";
        var s = (text ?? "").Trim().TrimStart('#').Trim().ToUpperInvariant();
        if (s.Length == 0)
        {
            error = "The customer reference is empty.";
            return false;
        }
        if (s.Length > MaxLength)
        {
            error = $"'{Shorten(s)}' is too long for a customer reference (at most {MaxLength} characters).";
            return false;
        }
        foreach (var c in s)
        {
            if (c is '/' or '\\' or '#' or '?' or '|' || char.IsControl(c) || char.IsWhiteSpace(c))
            {
                var what = char.IsControl(c) || char.IsWhiteSpace(c) ? "a space or control character" : $"'{c}'";
                error = $"'{Shorten(s)}' can't be a customer reference: it contains {what}.";
                return false;
            }
        }
        customer = s;
        error = "";
        return true;
    }

    private static string Shorten(string text) => text.Length <= 24 ? text : text[..24] + "…";
}
