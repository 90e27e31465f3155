namespace EmpowerBot.Conversation;

/// <summary>
/// The words commands are made of, and how far a typed word may be from one of them and still mean it:
/// none for words under 4 letters (too many real words are one letter from "hi" or "back"), one edit for 4–6 letters,
/// two for longer words. An edit is an insertion, deletion, substitution or swap of neighbours ("bugdet").
/// </summary>
public static class CommandWords
{
    public static readonly IReadOnlyList<string> Vocabulary =
    [
        "credit", "refund", "budget", "balance", "history", "credits", "undo", "help", "break", "back", "obstacle",
        "obstacles", "idea", "ideas", "kudos", "status", "approvals", "pending", "remaining", "suggestion", "problem",
        "limits", "rules", "policy", "commands", "menu", "request", "requests", "board", "approval", "approve", "approved",
    ];

    /// <summary>Real words that sit close to a command word but mean something else, so are never corrected.</summary>
    private static readonly HashSet<string> Kept =
    [
        "credited", "refunded", "refunds", "budgets", "limit", "rule", "policies", "bank", "black", "bread", "breaks",
        "hello", "held", "hell", "ideal", "idle", "kudo", "menus", "requested", "problems", "statue",
    ];

    private static readonly HashSet<string> Known = [.. Vocabulary];

    /// <summary>The command word <paramref name="word"/> was meant to be, or the word itself.</summary>
    public static string Correct(string word)
    {
        if (word.Length < 4 || Known.Contains(word) || Kept.Contains(word) || !word.All(char.IsAsciiLetterLower)) return word;
        var allowed = Allowed(word.Length);
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in Vocabulary)
        {
            var d = Distance(word, candidate, allowed);
            // A tie between two command words is a guess, and a guess is worse than asking.
            if (d < bestDistance) (best, bestDistance) = (candidate, d);
            else if (d == bestDistance) best = null;
        }
        return bestDistance <= allowed && best is not null ? best : word;
    }

    public static int Allowed(int length) => length < 4 ? 0 : length <= 6 ? 1 : 2;

    /// <summary>Optimal string alignment distance, stopping early once it is past <paramref name="limit"/>.</summary>
    public static int Distance(string a, string b, int limit = int.MaxValue)
    {
        if (Math.Abs(a.Length - b.Length) > limit) return int.MaxValue;
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++) d[i, 0] = i;
        for (var j = 0; j <= b.Length; j++) d[0, j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            var rowMin = int.MaxValue;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var v = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) v = Math.Min(v, d[i - 2, j - 2] + 1);
                d[i, j] = v;
                rowMin = Math.Min(rowMin, v);
            }
            if (rowMin > limit) return int.MaxValue;
        }
        return d[a.Length, b.Length];
    }
}
