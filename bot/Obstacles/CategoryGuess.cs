namespace EmpowerBot.Obstacles;

/// <summary>
/// A first guess at an obstacle's category from its words, which the person can change on the card. The category
/// with the most keyword hits wins; ties go to the earlier category in the table; no hit at all is "Other".
/// </summary>
public static class CategoryGuess
{
    // Plain words, normalised like obstacle text (so "deliveries" matches "delivery"); a trailing * matches any ending.
    private static readonly (ObstacleCategory Category, string[] Keywords)[] Table =
    [
        (ObstacleCategory.SystemsAndTools,
        [
            "crm", "system", "tool", "software", "app", "screen", "login", "password", "crash", "slow", "timeout", "freeze",
            "phone", "headset", "mailbox", "laptop", "vpn", "portal", "database", "bug", "error", "outage", "down", "salesforce",
            "zendesk", "ticketing", "ivr", "chat", "website", "page", "search", "click", "dashboard", "printer", "disconnect*",
        ]),
        (ObstacleCategory.Product, ["product", "item", "defect*", "faulty", "packaging", "quality", "recall", "size", "feature", "stock"]),
        (ObstacleCategory.Process,
        [
            "process", "handoff", "handover", "escalat*", "queue", "routing", "transfer", "approval", "approve", "delivery", "courier",
            "slot", "warehouse", "workflow", "callback", "shift", "rota", "step", "form", "paperwork", "twice", "manual*", "backlog",
        ]),
        (ObstacleCategory.Policy, ["policy", "rule", "allowed", "limit", "cap", "terms", "compliance", "guideline", "exception", "warranty", "eligib*"]),
        (ObstacleCategory.Training, ["training", "trained", "onboarding", "knowledge base", "documentation", "guide", "script", "coaching", "briefed", "article", "learn"]),
    ];

    private static readonly (ObstacleCategory Category, string Word, bool Prefix)[] Keywords = Table
        .SelectMany(t => t.Keywords.Select(k => (t.Category, Word: k.EndsWith('*') ? k[..^1] : ObstacleWords.Of(k).Single(), Prefix: k.EndsWith('*'))))
        .ToArray();

    public static ObstacleCategory For(string text)
    {
        var words = ObstacleWords.Of(text);
        var best = ObstacleCategory.Other;
        var bestHits = 0;
        foreach (var category in Table.Select(t => t.Category))
        {
            var hits = words.Count(w => Keywords.Any(k => k.Category == category && (k.Prefix ? w.StartsWith(k.Word, StringComparison.Ordinal) : w == k.Word)));
            if (hits > bestHits)
            {
                best = category;
                bestHits = hits;
            }
        }
        return best;
    }
}
