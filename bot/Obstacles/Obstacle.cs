namespace EmpowerBot.Obstacles;

public enum ObstacleKind { Obstacle, Idea }

public enum ObstacleCategory { SystemsAndTools, Product, Process, Policy, Training, Other }

/// <summary>Open → Acknowledged → InProgress → Fixed | WontFix; a manager may reopen a closed one.</summary>
public enum ObstacleStatus { Open, Acknowledged, InProgress, Fixed, WontFix }

/// <summary>One status change: what it became, the manager's note, who (name and person key) and when.</summary>
public sealed record StatusChange(ObstacleStatus Status, string? Note, string By, string ByKey, DateTimeOffset At);

/// <summary>
/// Something that gets in the way of serving customers, or an idea, as logged. <see cref="Votes"/> counts everyone
/// behind it: one per vote row, plus one for an anonymous submitter, who has no vote row (nothing may point at them).
/// <see cref="Submitter"/> is null for anonymous submissions. <see cref="Announced"/> is how many status changes
/// everyone concerned has been told about, so a repeated status command finishes a fan-out a crash interrupted.
/// <see cref="CustomerEvidence"/> counts customers whose low rating said the same (one evidence row each).
/// <see cref="BackingTeams"/> are the teams its named submitter and backers were in when they backed it (ids, each
/// once), kept in the batch of each +1 so the executive's view counts teams without reading the votes; null on rows
/// older than the field.
/// </summary>
public sealed record Obstacle(
    int Id,
    ObstacleKind Kind,
    string Text,
    ObstacleCategory Category,
    string? TeamId,
    DateTimeOffset CreatedAt,
    ObstacleStatus Status,
    int Votes,
    bool Anonymous,
    string? Submitter,
    IReadOnlyList<StatusChange> History,
    int Changes = 0,
    int Announced = 0,
    string? ETag = null,
    int CustomerEvidence = 0,
    IReadOnlyList<string>? BackingTeams = null)
{
    public const int MaxHistory = 20;

    public bool IsClosed => Status.IsClosed();

    /// <summary>The latest status change, or null while it was never triaged.</summary>
    public StatusChange? LastChange => History.Count == 0 ? null : History[^1];
}

/// <summary>What a person submits: the text as typed and what it is about.</summary>
public sealed record ObstacleDraft(ObstacleKind Kind, string Text, ObstacleCategory Category, bool Anonymous);

public static class ObstacleLabels
{
    public static bool IsClosed(this ObstacleStatus status) => status is ObstacleStatus.Fixed or ObstacleStatus.WontFix;

    public static string Label(this ObstacleStatus status) => status switch
    {
        ObstacleStatus.Open => "Open",
        ObstacleStatus.Acknowledged => "Acknowledged",
        ObstacleStatus.InProgress => "In progress",
        ObstacleStatus.Fixed => "Fixed",
        _ => "Won't fix",
    };

    /// <summary>The word managers type and cards send: "acknowledged", "in-progress", "fixed", "wontfix", "open".</summary>
    public static string Word(this ObstacleStatus status) => status switch
    {
        ObstacleStatus.Open => "open",
        ObstacleStatus.Acknowledged => "acknowledged",
        ObstacleStatus.InProgress => "in-progress",
        ObstacleStatus.Fixed => "fixed",
        _ => "wontfix",
    };

    public static string Label(this ObstacleCategory category) => category switch
    {
        ObstacleCategory.SystemsAndTools => "Systems & tools",
        ObstacleCategory.Product => "Product",
        ObstacleCategory.Process => "Process",
        ObstacleCategory.Policy => "Policy",
        ObstacleCategory.Training => "Training",
        _ => "Other",
    };

    public static string Label(this ObstacleKind kind) => kind == ObstacleKind.Idea ? "Idea" : "Obstacle";

    public static string Word(this ObstacleKind kind) => kind == ObstacleKind.Idea ? "idea" : "obstacle";

    public static bool TryParseKind(string? value, out ObstacleKind kind)
    {
        kind = string.Equals(value, "idea", StringComparison.OrdinalIgnoreCase) ? ObstacleKind.Idea : ObstacleKind.Obstacle;
        return string.Equals(value, "idea", StringComparison.OrdinalIgnoreCase) || string.Equals(value, "obstacle", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>Reads a category by its enum name ("SystemsAndTools") as cards send it.</summary>
    public static bool TryParseCategory(string? value, out ObstacleCategory category) =>
        Enum.TryParse(value, ignoreCase: true, out category) && Enum.IsDefined(category) && !int.TryParse(value, out _);
}
