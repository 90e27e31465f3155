using Microsoft.Extensions.Options;
using EmpowerBot.Budget;
using EmpowerBot.Policy;

namespace EmpowerBot.Conversation;

public enum Role { Rep, Manager }

/// <param name="MonthlyBudget">The roster's own budget for this person, or null for the default of their role.</param>
/// <param name="ApprovesUpTo">For a manager, the largest credit they may approve; null for any.</param>
public sealed record Member(string PersonKey, string Name, string Email, Role Role, string TeamsUserId = "", Money? MonthlyBudget = null, Money? ApprovesUpTo = null)
{
    /// <summary>The approval level, for ordering: the limit in minor units, or the largest for no limit.</summary>
    public long Level => ApprovesUpTo?.Minor ?? long.MaxValue;

    public bool CanApprove(Money amount) => ApprovesUpTo is not { } limit || amount.Minor <= limit.Minor;
}

/// <summary>A team as the features see it: its money, its clock and its people.</summary>
public sealed record Team(string Id, string Name, string Tenant, Currency Currency, TimeZoneInfo TimeZone, Money MonthlyBudget, IReadOnlyList<Member> Members)
{
    public IEnumerable<Member> Managers => Members.Where(m => m.Role == Role.Manager);

    /// <summary>The team's credit policy: its own "Policy" section, else the root one.</summary>
    public CreditPolicy Policy { get; init; } = new(new PolicyOptions());

    /// <summary>Conversation id of the team's approvals channel, or empty for the managers' 1:1 chats.</summary>
    public string ApprovalsChannel { get; init; } = "";
}

/// <summary>A person in this turn: who they are, their team (null when on no roster) and their role.</summary>
public sealed record Person(string TenantId, string Key, string Name, Team? Team, Role Role)
{
    public bool IsManager => Role == Role.Manager;

    /// <summary>The zone the person's own client last reported, or null when none did (or it was not a known zone).</summary>
    public TimeZoneInfo? OwnZone { get; init; }

    /// <summary>
    /// The zone this person reads times in: their own, else their team's, else UTC. Only for what they read; budget
    /// periods and quiet-time days stay in the team's zone.
    /// </summary>
    public TimeZoneInfo ReadingZone => OwnZone ?? Team?.TimeZone ?? TimeZoneInfo.Utc;

    /// <summary>The roster's own budget for this person, or null for their role's default.</summary>
    public Money? OwnBudget { get; init; }

    /// <summary>The e-mail the channel gave for this person, if any (Slack members may be on a roster by e-mail alone).</summary>
    public string? Email { get; init; }

    /// <summary>
    /// What this person may give each month without asking: the roster's figure for them, else the team's for a rep
    /// and none for a manager. Zero without a team.
    /// </summary>
    public Money MonthlyBudget => OwnBudget ?? (Team is null ? Money.Zero(Currency.Of("USD")) : IsManager ? Money.Zero(Team.Currency) : Team.MonthlyBudget);

    /// <summary>True when this person has a budget of their own to spend.</summary>
    public bool HasBudget => Team is not null && MonthlyBudget.Minor > 0;
}

/// <summary>
/// The organisation as every turn reads it: the stored teams and people (seeded from appsettings.json on first start,
/// changed in chat and by the channels' rosters afterwards; see <see cref="OrganizationSync"/>), held in memory as one
/// immutable snapshot that is swapped whole when the store's version moves.
/// </summary>
public sealed class Roster
{
    private readonly PolicyOptions defaultOptions;
    private volatile Snapshot current;

    /// <summary>
    /// One consistent organisation: what it was built from, its teams, the team unlisted people join, the store's
    /// version, and where each person key and e-mail is listed (team and member positions, in roster order), so finding
    /// a person costs the same on a roster of ten thousand as on one of two.
    /// </summary>
    private sealed record Snapshot(OrganizationOptions Source, IReadOnlyList<Team> Teams, Team? DefaultTeam, long Version, OrgRules? Rules)
    {
        public Dictionary<string, List<(int Team, int Member)>> ByKey { get; } = Listings(Teams, m => m.PersonKey);

        public Dictionary<string, List<(int Team, int Member)>> ByEmail { get; } = Listings(Teams, m => m.Email);

        private static Dictionary<string, List<(int Team, int Member)>> Listings(IReadOnlyList<Team> teams, Func<Member, string?> name)
        {
            var listed = new Dictionary<string, List<(int, int)>>(StringComparer.OrdinalIgnoreCase);
            for (var t = 0; t < teams.Count; t++)
            {
                for (var m = 0; m < teams[t].Members.Count; m++)
                {
                    if (name(teams[t].Members[m]) is not { Length: > 0 } key) continue;
                    if (!listed.TryGetValue(key, out var places)) listed[key] = places = [];
                    places.Add((t, m));
                }
            }
            return listed;
        }
    }

    public Roster(IOptions<OrganizationOptions> options, IOptions<PolicyOptions> policy)
    {
        defaultOptions = policy.Value;
        Settings = options.Value;
        DefaultTenant = Settings.DefaultTenant;
        current = Build(Settings, 0, null);
    }

    /// <summary>The "Organization" section as configured: the seed of the stored organisation, and its settings.</summary>
    public OrganizationOptions Settings { get; }

    public string DefaultTenant { get; }

    public IReadOnlyList<Team> Teams => current.Teams;

    /// <summary>The team people on no roster join as reps (Organization:DefaultTeam), or null when they are guests.</summary>
    public Team? DefaultTeam => current.DefaultTeam;

    /// <summary>The stored organisation's version this snapshot was built from (0: the configuration, before the store was read).</summary>
    public long Version => current.Version;

    /// <summary>The teams and members this snapshot was built from, to change a copy of.</summary>
    public IReadOnlyList<TeamOptions> TeamSettings => current.Source.Teams;

    /// <summary>
    /// Replaces the snapshot with the stored organisation at <paramref name="version"/>, unless a newer one is already
    /// held (two loads racing keep the newer). The organisation's settings (default tenant, unlisted people) stay the
    /// configured ones.
    /// </summary>
    /// <summary>The organisation's rules its admins set, laid over every team's policy; null when none were set.</summary>
    public OrgRules? Rules => current.Rules;

    public void Load(IReadOnlyList<TeamOptions> teams, long version, OrgRules? rules = null)
    {
        var source = new OrganizationOptions
        {
            DefaultTenant = Settings.DefaultTenant,
            DefaultTeam = Settings.DefaultTeam,
            UnlistedPeople = Settings.UnlistedPeople,
            Teams = [.. teams],
        };
        var next = Build(source, version, rules);
        for (var seen = current; seen.Version <= version; seen = current)
        {
            if (Interlocked.CompareExchange(ref current, next, seen) == seen) return;
        }
    }

    private Snapshot Build(OrganizationOptions o, long version, OrgRules? rules)
    {
        var teams = o.Teams.Select(t => ToTeam(t, defaultOptions, rules)).ToList();
        var defaultTeam = o.UnlistedPeople == UnlistedPeople.DefaultTeam
            ? teams.FirstOrDefault(t => string.Equals(t.Id, o.DefaultTeam, StringComparison.OrdinalIgnoreCase))
            : null;
        return new Snapshot(o, teams, defaultTeam, version, rules);
    }

    /// <summary>Finds a person by key (or e-mail) within a tenant; people on no roster join the default team as reps.</summary>
    public Person Resolve(string tenantId, string personKey, string? name, string? email = null)
    {
        var snapshot = current;
        // The first listing in roster order, by key or by e-mail, of a team that applies to the tenant.
        var places = snapshot.ByKey.GetValueOrDefault(personKey) ?? [];
        if (!string.IsNullOrEmpty(email) && snapshot.ByEmail.GetValueOrDefault(email) is { } byEmail) places = [.. places, .. byEmail];
        var found = places.Where(p => AppliesTo(snapshot.Teams[p.Team], tenantId)).DefaultIfEmpty((-1, -1)).Min();
        if (found.Item1 >= 0)
        {
            var team = snapshot.Teams[found.Item1];
            var member = team.Members[found.Item2];
            return new Person(tenantId, personKey, string.IsNullOrWhiteSpace(member.Name) ? name ?? personKey : member.Name, team, member.Role)
            {
                OwnBudget = member.MonthlyBudget,
                Email = email,
            };
        }
        var fallback = snapshot.DefaultTeam is { } joinable && AppliesTo(joinable, tenantId) ? joinable : null;
        return new Person(tenantId, personKey, string.IsNullOrWhiteSpace(name) ? personKey : name, fallback, Role.Rep) { Email = email };
    }

    /// <summary>True for an org admin named in Organization:Admins (by person key, bare Entra object id or e-mail).</summary>
    public bool IsAdmin(Person person) => Names(Settings.Admins, person);

    /// <summary>True for a customer-service executive named in Organization:Executives (as the admins are named).</summary>
    public bool IsExecutive(Person person) => Names(Settings.Executives, person);

    private static bool Names(IEnumerable<string> listed, Person person) => listed.Any(a =>
        string.Equals(a, person.Key, StringComparison.OrdinalIgnoreCase)
        || string.Equals("aad:" + a, person.Key, StringComparison.OrdinalIgnoreCase)
        || (person.Email is { Length: > 0 } email && string.Equals(a, email, StringComparison.OrdinalIgnoreCase)));

    /// <summary>The roster entry of a person key in a tenant, or null.</summary>
    public Member? FindMember(string tenantId, string personKey)
    {
        var snapshot = current;
        var found = (snapshot.ByKey.GetValueOrDefault(personKey) ?? []).Where(p => AppliesTo(snapshot.Teams[p.Team], tenantId)).DefaultIfEmpty((-1, -1)).Min();
        return found.Item1 >= 0 ? snapshot.Teams[found.Item1].Members[found.Item2] : null;
    }

    public Team? FindTeam(string tenantId, string teamId) =>
        current.Teams.FirstOrDefault(t => AppliesTo(t, tenantId) && string.Equals(t.Id, teamId, StringComparison.OrdinalIgnoreCase));

    public static bool AppliesTo(Team team, string tenantId) =>
        team.Tenant.Length == 0 || string.Equals(team.Tenant, tenantId, StringComparison.OrdinalIgnoreCase);

    private static Team ToTeam(TeamOptions t, PolicyOptions defaultOptions, OrgRules? rules)
    {
        var currency = Currency.Of(t.Currency);
        return new Team(
            t.Id,
            string.IsNullOrWhiteSpace(t.Name) ? t.Id : t.Name,
            t.Tenant,
            currency,
            TimeZoneInfo.FindSystemTimeZoneById(t.TimeZone),
            Money.FromDecimal(t.MonthlyBudget, currency),
            t.Members.Select(m => new Member(m.Id, m.Name, m.Email, Enum.Parse<Role>(m.Role, ignoreCase: true), m.TeamsUserId,
                m.MonthlyBudget is { } own ? Money.FromDecimal(own, currency) : null,
                m.ApprovesUpTo is { } upTo ? Money.FromDecimal(upTo, currency) : null)).ToList())
        {
            // The organisation's rules, when its admins set them, over the team's own policy or the default.
            Policy = new CreditPolicy(rules is null ? t.Policy ?? defaultOptions : rules.Over(t.Policy ?? defaultOptions)),
            ApprovalsChannel = t.ApprovalsChannel.Trim(),
        };
    }
}
