namespace EmpowerBot.Storage;

/// <summary>The table names, in one place (docs/ARCHITECTURE.md, "Tables", says what each holds and how it is keyed).</summary>
public static class Tables
{
    public const string Budgets = "budgets";
    public const string Customers = "customers";
    public const string Approvals = "approvals";
    public const string People = "people";
    public const string Obstacles = "obstacles";
    public const string QuietTime = "quiettime";
    public const string Outbox = "outbox";
    public const string Kudos = "kudos";
    public const string Organization = "organization";
    public const string Feedback = "feedback";

    public static readonly IReadOnlyList<string> All = [Budgets, Customers, Approvals, People, Obstacles, QuietTime, Outbox, Kudos, Organization, Feedback];

    /// <summary>Joins key parts with '|', the separator of every composite key.</summary>
    public static string Key(params string[] parts) => string.Join('|', parts);
}
