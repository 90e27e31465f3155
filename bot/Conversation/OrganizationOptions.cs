using EmpowerBot.Hosting;
using EmpowerBot.Policy;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Conversation;

/// <summary>The "Organization" section of appsettings.json: teams, their members, budgets and currency.</summary>
public sealed class OrganizationOptions : ISettings
{
    /// <summary>Tenant used when a channel carries none (e.g. Web Chat, direct tests).</summary>
    public string DefaultTenant { get; set; } = "default";

    /// <summary>
    /// The team people on no roster join as reps when <see cref="UnlistedPeople"/> is
    /// <see cref="Conversation.UnlistedPeople.DefaultTeam"/> (the local demo's). Empty: none.
    /// </summary>
    public string DefaultTeam { get; set; } = "";

    /// <summary>
    /// What someone on no roster is: a <see cref="Conversation.UnlistedPeople.Guest"/> (obstacles, ideas and kudos, no budget
    /// until placed in a team) or a rep of <see cref="DefaultTeam"/>. Unset: DefaultTeam in the Development environment
    /// (the local demo), Guest everywhere else, so nobody gets spending power by merely writing to the bot.
    /// </summary>
    public UnlistedPeople? UnlistedPeople { get; set; }

    /// <summary>
    /// How often each instance looks whether another one changed the stored organisation (one point read). The money
    /// paths look on every credit and decision regardless.
    /// </summary>
    public TimeSpan RefreshInterval { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>
    /// The organisation's admins, the root of trust: person keys ("aad:{Entra object id}", "slack:{team}:{user}"), bare
    /// Entra object ids or e-mails. They may place anyone in any team ("make Megan a manager of Frontline"); a team's
    /// managers may change only their own team.
    /// </summary>
    public List<string> Admins { get; set; } = [];

    /// <summary>
    /// Whoever owns customer service at the top (the CustomerServiceExecutive role), named like the admins: they get
    /// `org`, every team side by side, aggregates only.
    /// </summary>
    public List<string> Executives { get; set; } = [];

    public List<TeamOptions> Teams { get; set; } = [];

    /// <summary>What makes the organisation inconsistent, each naming its key.</summary>
    public IEnumerable<string> Problems()
    {
        var errors = new List<string>();
        var ids = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < Teams.Count; i++)
        {
            var team = Teams[i];
            var key = $"Organization:Teams:{i}";
            if (string.IsNullOrWhiteSpace(team.Id)) errors.Add($"{key}:Id is required.");
            else if (!ids.Add(team.Id)) errors.Add($"{key}:Id '{team.Id}' is used by two teams.");
            if (!Budget.Currency.TryGet(team.Currency, out _)) errors.Add($"{key}:Currency '{team.Currency}' is not a known ISO 4217 code.");
            if (!TimeZoneInfo.TryFindSystemTimeZoneById(team.TimeZone, out _)) errors.Add($"{key}:TimeZone '{team.TimeZone}' is not a known time zone.");
            if (team.MonthlyBudget < 0 || team.MonthlyBudget > 1_000_000) errors.Add($"{key}:MonthlyBudget must be between 0 and 1,000,000.");
            if (team.Policy is not null) errors.AddRange(team.Policy.Problems($"{key}:Policy"));
            if (team.ApprovalsChannel.Trim() is { Length: > 0 } channel && !IsTeamsChannel(channel))
            {
                // A Slack channel would get a card whose buttons anyone there could click: requests go to each
                // approver's direct messages instead, where only they can act.
                errors.Add($"{key}:ApprovalsChannel '{channel}' is not a Teams channel id (19:…@thread.tacv2). Approvals in a Slack " +
                    "channel are not supported: leave it empty, and each approver gets the request in their direct messages with the bot.");
            }
            for (var m = 0; m < team.Members.Count; m++)
            {
                var member = team.Members[m];
                if (string.IsNullOrWhiteSpace(member.Id) && string.IsNullOrWhiteSpace(member.Email))
                    errors.Add($"{key}:Members:{m} needs an Id or an Email.");
                if (!Enum.TryParse<Role>(member.Role, ignoreCase: true, out _))
                    errors.Add($"{key}:Members:{m}:Role '{member.Role}' must be Rep or Manager.");
                if (member.MonthlyBudget is < 0 or > 1_000_000)
                    errors.Add($"{key}:Members:{m}:MonthlyBudget must be between 0 and 1,000,000.");
                if (member.ApprovesUpTo is { } upTo && (upTo <= 0 || upTo > 1_000_000))
                    errors.Add($"{key}:Members:{m}:ApprovesUpTo must be above 0 and at most 1,000,000 (leave it out for no limit).");
                if (member.ApprovesUpTo is not null && !string.Equals(member.Role, nameof(Role.Manager), StringComparison.OrdinalIgnoreCase))
                    errors.Add($"{key}:Members:{m}:ApprovesUpTo is for managers; this member's Role is '{member.Role}'.");
            }
        }
        if (!string.IsNullOrEmpty(DefaultTeam) && !ids.Contains(DefaultTeam))
            errors.Add($"Organization:DefaultTeam '{DefaultTeam}' names no team in Organization:Teams.");
        if (RefreshInterval <= TimeSpan.Zero || RefreshInterval > TimeSpan.FromMinutes(10))
            errors.Add("Organization:RefreshInterval must be above zero and at most 10 minutes.");
        if (UnlistedPeople == Conversation.UnlistedPeople.DefaultTeam && string.IsNullOrEmpty(DefaultTeam))
            errors.Add("Organization:UnlistedPeople is DefaultTeam but Organization:DefaultTeam names no team: name one, or set UnlistedPeople to Guest.");
        return errors;
    }

    private static bool IsTeamsChannel(string id) => id.StartsWith("19:", StringComparison.Ordinal) && id.Contains("@thread.", StringComparison.Ordinal);
}

/// <summary>What someone on no roster is.</summary>
public enum UnlistedPeople
{
    /// <summary>Logs obstacles, ideas and kudos; no budget until placed in a team.</summary>
    Guest,

    /// <summary>A rep of Organization:DefaultTeam, with its budget (the local demo).</summary>
    DefaultTeam,
}

public sealed class TeamOptions
{
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";

    /// <summary>Empty: the team applies in every tenant (single-organisation deployments).</summary>
    public string Tenant { get; set; } = "";

    public string Currency { get; set; } = "USD";

    /// <summary>IANA time zone; budget months and working hours follow it.</summary>
    public string TimeZone { get; set; } = "UTC";

    public decimal MonthlyBudget { get; set; } = 200m;

    /// <summary>
    /// Optional Teams channel (conversation id "19:…@thread.tacv2") where the team's approval requests are posted
    /// instead of the managers' 1:1 chats. Everyone in the channel sees the request; only approvers get the buttons.
    /// A Slack channel id is refused at start-up: in Slack each approver gets the request in their direct messages.
    /// </summary>
    public string ApprovalsChannel { get; set; } = "";

    /// <summary>
    /// The Microsoft Teams team this team is linked to (its thread id, "19:…@thread.tacv2"), set when the app is installed
    /// in a team: its members then come from that team's roster. Empty: members are kept in EmpowerBot alone.
    /// </summary>
    public string TeamsTeamId { get; set; } = "";

    /// <summary>
    /// The Slack channel whose members are this team's ("/empower link-team Frontline" there): joining or leaving it joins
    /// or leaves the team. Empty: none.
    /// </summary>
    public string SlackChannel { get; set; } = "";

    /// <summary>The team's own credit policy, replacing the root "Policy" section as a whole. Null: the root one.</summary>
    public PolicyOptions? Policy { get; set; }

    public List<MemberOptions> Members { get; set; } = [];

    /// <summary>The team's settings without its members, to change and store (the snapshot's own are never changed in place).</summary>
    public TeamOptions CopySettings() => new()
    {
        Id = Id, Name = Name, Tenant = Tenant, Currency = Currency, TimeZone = TimeZone, MonthlyBudget = MonthlyBudget,
        ApprovalsChannel = ApprovalsChannel, TeamsTeamId = TeamsTeamId, SlackChannel = SlackChannel,
        Policy = Policy?.Copy(),
    };
}

public sealed class MemberOptions
{
    /// <summary>Person key: "aad:{Entra object id}" in Teams, "slack:{team}:{user}" in Slack, "{channel}:{user id}" elsewhere.</summary>
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Email { get; set; } = "";

    /// <summary>
    /// Optional Teams user id ("29:…"): used to open a chat with someone who never wrote to the bot.
    /// Without it the bot opens the chat by the person's Entra object id.
    /// </summary>
    public string TeamsUserId { get; set; } = "";

    /// <summary>Rep or Manager.</summary>
    public string Role { get; set; } = "Rep";

    /// <summary>
    /// This person's own monthly budget. Unset: the team's for a rep, none for a manager (a manager's own credits go to
    /// another approver, as a rep's exceptions do).
    /// </summary>
    public decimal? MonthlyBudget { get; set; }

    /// <summary>
    /// For a manager: the largest credit they may approve (a team lead's level, say 250). Unset: any amount. An exception
    /// goes to the team's managers of the lowest level that can approve it; they can pass it up to the next level, and
    /// above the last to the fallback approvers.
    /// </summary>
    public decimal? ApprovesUpTo { get; set; }
}

[OptionsValidator]
public sealed partial class OrganizationOptionsValidator : IValidateOptions<OrganizationOptions>;
