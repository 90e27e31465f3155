using System.Globalization;
using System.Text.Json;
using EmpowerBot.Policy;
using EmpowerBot.Storage;

namespace EmpowerBot.Conversation;

/// <summary>
/// The rows of the organization table's one partition, and how an organisation is written to them and read back:
/// the version row, one row per team and per member, the organisation's rules, and the audit trail after them all.
/// </summary>
public static class OrganizationRows
{
    public const string Partition = "organization";
    public const string VersionRow = "version";

    /// <summary>The row of the organisation's rules its admins set.</summary>
    public const string RulesRow = "policy|organisation";

    /// <summary>Row keys of the audit trail: "~audit|{tenant}|{UTC ticks, 19 digits}|{n}", after every organisation row.</summary>
    public const string AuditPrefix = "~audit|";

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = JsonNamingPolicy.CamelCase };

    /// <summary>
    /// One line of the audit trail: who changed what in which team, from → to. Kept in the organisation's partition after
    /// its rows ("~audit|{tenant}|{UTC ticks}|{n}"), so it is written in the change's own batch and never read with the
    /// organisation; the export reads a month of it by range.
    /// </summary>
    /// <param name="person">For a membership change: the person placed or removed.</param>
    public static TableEntity Audit(string tenant, DateTimeOffset at, int n, string team, string byKey, string byName, string field, string label,
        string from, string to, string? person = null) =>
        new(Partition, $"{AuditPrefix}{tenant}|{at.UtcTicks:D19}|{n:D3}", new Dictionary<string, object?>
        {
            ["person"] = person,
            ["at"] = at,
            ["team"] = team,
            ["by"] = byKey,
            ["byName"] = byName,
            ["field"] = field,
            ["label"] = label,
            ["from"] = from,
            ["to"] = to,
        });

    /// <summary>A member's key in its team: the person key, else (a member named by e-mail alone) the e-mail.</summary>
    public static string KeyOf(MemberOptions m) => Key(m.Id, m.Email);

    /// <summary>The key of a member as the roster holds them.</summary>
    public static string KeyOf(Member m) => Key(m.PersonKey, m.Email);

    private static string Key(string id, string email) => string.IsNullOrWhiteSpace(id) ? "email:" + email.Trim().ToLowerInvariant() : id;

    public static string Escape(string id) => Uri.EscapeDataString(id);

    public static string TeamRowKey(string teamId) => $"team|{Escape(teamId)}";

    public static string MemberRowKey(string teamId, string memberKey) => $"{MemberPrefix(teamId)}{Escape(memberKey)}";

    /// <summary>The row keys of one team's members start with this.</summary>
    public static string MemberPrefix(string teamId) => $"member|{Escape(teamId)}|";

    /// <summary>The organisation's rules, as the one row that holds them.</summary>
    public static TableEntity RulesEntity(OrgRules rules) =>
        new(Partition, RulesRow, new Dictionary<string, object?> { ["rules"] = JsonSerializer.Serialize(rules, Json) });

    /// <summary>The stored rules, or null when the row does not read.</summary>
    public static OrgRules? ReadRules(string json)
    {
        try { return JsonSerializer.Deserialize<OrgRules>(json, Json); }
        catch (JsonException) { return null; }
    }

    public static TableEntity VersionEntity(long version, bool seeded) =>
        new(Partition, VersionRow, new Dictionary<string, object?> { ["version"] = version, ["seeded"] = seeded });

    public static TableEntity TeamRow(TeamOptions t)
    {
        var p = new Dictionary<string, object?>
        {
            ["id"] = t.Id,
            ["name"] = t.Name,
            ["tenant"] = t.Tenant,
            ["currency"] = t.Currency,
            ["timeZone"] = t.TimeZone,
            ["monthlyBudget"] = t.MonthlyBudget.ToString(CultureInfo.InvariantCulture),
            ["approvalsChannel"] = t.ApprovalsChannel,
            ["teamsTeam"] = t.TeamsTeamId,
            ["slackChannel"] = t.SlackChannel,
        };
        if (t.Policy is not null) p["policy"] = JsonSerializer.Serialize(t.Policy, Json);
        return new TableEntity(Partition, TeamRowKey(t.Id), p);
    }

    /// <summary>A stored team, or why it cannot be used (a policy that does not read, a value the validator refuses).</summary>
    public static (TeamOptions? Team, string? Problem) ReadTeam(TableEntity row)
    {
        var team = new TeamOptions
        {
            Id = row.GetString("id") ?? "",
            Name = row.GetString("name") ?? "",
            Tenant = row.GetString("tenant") ?? "",
            Currency = row.GetString("currency") ?? "USD",
            TimeZone = row.GetString("timeZone") ?? "UTC",
            MonthlyBudget = decimal.TryParse(row.GetString("monthlyBudget"), NumberStyles.Number, CultureInfo.InvariantCulture, out var budget) ? budget : 0m,
            ApprovalsChannel = row.GetString("approvalsChannel") ?? "",
            TeamsTeamId = row.GetString("teamsTeam") ?? "",
            SlackChannel = row.GetString("slackChannel") ?? "",
        };
        try
        {
            if (row.GetString("policy") is { } policy) team.Policy = JsonSerializer.Deserialize<PolicyOptions>(policy, Json);
        }
        catch (JsonException e)
        {
            return (null, $"its policy cannot be read ({e.Message})");
        }
        var problems = new OrganizationOptions { Teams = [team] }.Problems().ToList();
        return problems.Count > 0 ? (null, string.Join("; ", problems)) : (team, null);
    }

    public static TableEntity MemberRow(string teamId, MemberOptions m)
    {
        var p = new Dictionary<string, object?>
        {
            ["team"] = teamId,
            ["id"] = m.Id,
            ["name"] = m.Name,
            ["email"] = m.Email,
            ["teamsUserId"] = m.TeamsUserId,
            ["role"] = m.Role,
        };
        if (m.MonthlyBudget is { } own) p["monthlyBudget"] = own.ToString(CultureInfo.InvariantCulture);
        if (m.ApprovesUpTo is { } upTo) p["approvesUpTo"] = upTo.ToString(CultureInfo.InvariantCulture);
        return new TableEntity(Partition, MemberRowKey(teamId, KeyOf(m)), p);
    }

    public static MemberOptions ReadMember(TableEntity row) => new()
    {
        Id = row.GetString("id") ?? "",
        Name = row.GetString("name") ?? "",
        Email = row.GetString("email") ?? "",
        TeamsUserId = row.GetString("teamsUserId") ?? "",
        Role = Enum.TryParse<Role>(row.GetString("role"), ignoreCase: true, out var role) ? role.ToString() : nameof(Role.Rep),
        MonthlyBudget = Amount(row.GetString("monthlyBudget")),
        ApprovesUpTo = Amount(row.GetString("approvesUpTo")),
    };

    public static decimal? Amount(string? text) =>
        decimal.TryParse(text, NumberStyles.Number, CultureInfo.InvariantCulture, out var value) ? value : null;
}
