using System.Globalization;
using System.Text.RegularExpressions;
using EmpowerBot.Budget;
using EmpowerBot.Storage;
using Change = EmpowerBot.Conversation.OrganizationStore.Change;

namespace EmpowerBot.Conversation;

/// <summary>
/// Who is in which team, changed in chat: "make Megan a manager of Frontline", "make Lee a team lead of Frontline up
/// to $250", "add Sam Rivera to Frontline", "remove Sam from Frontline". An org admin (Organization:Admins) may change
/// any team; a team's manager their own team's reps and managers, never themselves. The person changed is told, the
/// change is stored for every instance at once, and their history stays where it is.
/// </summary>
public sealed partial class MembershipCommand(Roster roster, OrganizationSync organization, ITableStore store, Notifier notifier,
    TimeProvider clock, ILogger<MembershipCommand> log) : ICommand
{
    public CommandInfo Info { get; } = new("make", "make Lee a manager of Frontline",
        "Who is in the team: make someone a manager, a team lead (make Lee a team lead of Frontline up to $250) or a rep; add or remove someone", "Your team",
        ManagersOnly: true, InMenu: false);

    public bool Recognizes(string text) => Make().IsMatch(text) || Add().IsMatch(text) || Remove().IsMatch(text);

    /// <summary>What the speaker asked for: who, which team (named or their own), the role (null: keep or Rep), a team lead's limit.</summary>
    private sealed record Ask(string Who, string? TeamName, Role? Role, bool Lead, string? Limit, bool Removal);

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var speaker = await organization.CurrentAsync(context.Person, ct);
        // Read as written, so names are quoted back in their own case.
        var ask = Read(CommandText.Clean(context.Turn.Text).TrimEnd('?', '!', '.', ' '));
        if (ask is null) return Say("Try **make Lee a manager of Frontline**, **add Sam Rivera to Frontline** or **remove Sam from Frontline**.");
        var admin = roster.IsAdmin(speaker);
        var team = ask.TeamName is { } named ? FindTeam(speaker.TenantId, named) : speaker.Team;
        if (team is null)
        {
            return Say(ask.TeamName is null
                ? "Which team? Name it, like **make Lee a manager of Frontline**. Nothing was changed."
                : $"I don't know a team called \"{ask.TeamName}\". Teams here: {TeamList(speaker.TenantId)}. Nothing was changed.");
        }
        var managesTeam = speaker.IsManager && string.Equals(speaker.Team?.Id, team.Id, StringComparison.OrdinalIgnoreCase);
        if (!admin && !managesTeam)
            return Say($"Only {team.Name}'s managers or an EmpowerBot admin can change who is in {team.Name}. Nothing was changed.");

        var candidates = await CandidatesAsync(speaker.TenantId, ask.Who, ct);
        if (candidates.Count != 1)
        {
            return Say(candidates.Count == 0
                ? $"I don't know anyone called \"{ask.Who}\" yet. They need to be on a team's roster, or to have said hello to me once. Nothing was changed."
                : $"More than one person is called \"{ask.Who}\" ({string.Join(", ", candidates.Select(c => c.Name))}): use their full name. Nothing was changed.");
        }
        var target = candidates[0];
        if (string.Equals(target.Key, speaker.Key, StringComparison.OrdinalIgnoreCase) && !admin)
            return Say("You can't change your own place in a team: ask another manager or an EmpowerBot admin. Nothing was changed.");
        var current = Place(speaker.TenantId, target.Key);
        if (current is { } elsewhere && !string.Equals(elsewhere.Team.Id, team.Id, StringComparison.OrdinalIgnoreCase) && !admin)
            return Say($"{target.Name} is in {elsewhere.Team.Name}: an EmpowerBot admin can move them. Nothing was changed.");

        return ask.Removal
            ? await RemoveAsync(speaker, team, target, current, ct)
            : await PlaceAsync(speaker, team, target, current, ask, ct);
    }

    private async Task<TurnResult> PlaceAsync(Person speaker, Team team, Candidate target, (Team Team, Member Member)? current, Ask ask, CancellationToken ct)
    {
        Money? limit = null;
        if (ask.Lead)
        {
            if (ask.Limit is null)
                return Say($"A team lead approves up to an amount: say how much, like **make {First(target.Name)} a team lead of {team.Name} up to $250**. Nothing was changed.");
            if (!decimal.TryParse(ask.Limit.TrimStart('$', '€', '£'), NumberStyles.Number, CultureInfo.InvariantCulture, out var amount)
                || amount <= 0 || amount > 1_000_000 || decimal.Round(amount, team.Currency.Decimals) != amount)
                return Say($"\"{ask.Limit}\" is not an amount a team lead can approve up to (above 0, at most 1,000,000). Nothing was changed.");
            limit = Money.FromDecimal(amount, team.Currency);
        }
        var sameTeam = current is { } c && string.Equals(c.Team.Id, team.Id, StringComparison.OrdinalIgnoreCase);
        var role = ask.Role ?? (sameTeam ? current!.Value.Member.Role : Role.Rep);
        var before = sameTeam ? current!.Value.Member : null;
        if (before is not null && before.Role == role && (before.ApprovesUpTo?.Minor ?? -1) == (limit?.Minor ?? -1))
            return Say($"{target.Name} is already {Describe(role, limit)} of {team.Name}. Nothing was changed.");

        var member = new MemberOptions
        {
            Id = target.Key,
            Name = target.Name,
            Email = before?.Email ?? target.Email ?? "",
            TeamsUserId = before?.TeamsUserId is { Length: > 0 } known ? known : target.TeamsUserId ?? "",
            Role = role.ToString(),
            MonthlyBudget = before?.MonthlyBudget?.ToDecimal(),
            ApprovesUpTo = role == Role.Manager ? limit?.ToDecimal() : null,
        };
        var changes = new List<Change>();
        if (current is { } from && !sameTeam) changes.Add(new Change.RemoveMember(from.Team.Id, MemberKey(from.Member)));
        if (before is not null && MemberKey(before) != target.Key) changes.Add(new Change.RemoveMember(team.Id, MemberKey(before)));
        changes.Add(new Change.PutMember(team.Id, member));
        var was = current is { } w ? $"{Describe(w.Member.Role, w.Member.ApprovesUpTo)} of {w.Team.Name}" : "on no team";
        var audit = new List<TableEntity>();
        if (current is { } left && !sameTeam) audit.Add(Audit(speaker, left.Team.Id, target, was, "not in the team"));
        audit.Add(Audit(speaker, team.Id, target, sameTeam ? was : "not in the team", $"{Describe(role, limit)} of {team.Name}"));
        await organization.ChangeAsync(changes, ct, audit, speaker.TenantId);
        log.LogInformation("{Speaker} made {Target} {Role} of {Team} (was {Before})", speaker.Key, target.Key, role, team.Id,
            was);

        var what = Describe(role, limit);
        var budget = role == Role.Rep ? $" You have {(member.MonthlyBudget is { } own ? Money.FromDecimal(own, team.Currency) : team.MonthlyBudget)} a month to solve customer problems on the spot." : "";
        var approvals = role == Role.Manager ? " Credit exceptions from its reps" + (limit is { } l ? $" up to {l}" : "") + " come to you now; say **approvals** to see them." : "";
        await TellAsync(speaker, target, $"{speaker.Name} made you {what} of {team.Name}.{budget}{approvals}", ct);
        var moved = current is { } old && !sameTeam ? $" (they were in {old.Team.Name})" : "";
        return Say($"Done: {target.Name} is {what} of {team.Name}{moved}. I've told them.");
    }

    private async Task<TurnResult> RemoveAsync(Person speaker, Team team, Candidate target, (Team Team, Member Member)? current, CancellationToken ct)
    {
        if (current is not { } place || !string.Equals(place.Team.Id, team.Id, StringComparison.OrdinalIgnoreCase))
            return Say($"{target.Name} is not in {team.Name}. Nothing was changed.");
        await organization.ChangeAsync([new Change.RemoveMember(team.Id, MemberKey(place.Member))], ct,
            [Audit(speaker, team.Id, target, $"{Describe(place.Member.Role, place.Member.ApprovesUpTo)} of {team.Name}", "not in the team")], speaker.TenantId);
        log.LogInformation("{Speaker} removed {Target} ({Role}) from {Team}", speaker.Key, target.Key, place.Member.Role, team.Id);
        var lost = place.Member.Role == Role.Manager ? "approve its credit exceptions" : "spend its discretionary budget";
        await TellAsync(speaker, target, $"{speaker.Name} removed you from {team.Name}: you no longer {lost}. Your history stays, and you can still log obstacles, ideas and kudos.", ct);
        // The local demo's team takes in everyone on no roster: say so rather than claim a removal that does not hold.
        var rejoins = roster.DefaultTeam is { } joinable && string.Equals(joinable.Id, team.Id, StringComparison.OrdinalIgnoreCase)
            ? $" Note: people on no roster join {team.Name} as reps here (Organization:UnlistedPeople is DefaultTeam), so they are still one of its reps."
            : "";
        return Say($"Done: {target.Name} is no longer in {team.Name}; they no longer {lost}. Their history stays. I've told them.{rejoins}");
    }

    private int audits;

    /// <summary>An audit line of a membership change: field "member", the person's key in the label, their place from → to.</summary>
    private TableEntity Audit(Person speaker, string teamId, Candidate target, string from, string to) =>
        OrganizationRows.Audit(speaker.TenantId, clock.GetUtcNow(), Interlocked.Increment(ref audits) % 1000, teamId, speaker.Key, speaker.Name,
            "member", target.Name, from, to, target.Key);

    private Task TellAsync(Person speaker, Candidate target, string text, CancellationToken ct) =>
        string.Equals(target.Key, speaker.Key, StringComparison.OrdinalIgnoreCase)
            ? Task.CompletedTask
            : notifier.SendAsync($"membership-{target.Key}-{clock.GetUtcNow().UtcTicks}", Notification.Of(speaker.TenantId, target.Key, Reply.Say(text)), ct);

    private static string Describe(Role role, Money? limit) => role switch
    {
        Role.Manager when limit is { } l => $"a team lead (approving up to {l})",
        Role.Manager => "a manager",
        _ => "a rep",
    };

    private static TurnResult Say(string text) => TurnResult.Of(Reply.Say(text));

    private static string First(string name) => name.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault() ?? name;

    private static string MemberKey(Member m) => OrganizationRows.KeyOf(m);

    private IEnumerable<Team> TeamsOf(string tenantId) => roster.Teams.Where(t => Roster.AppliesTo(t, tenantId));

    private Team? FindTeam(string tenantId, string named) =>
        TeamsOf(tenantId).FirstOrDefault(t => string.Equals(t.Name, named, StringComparison.OrdinalIgnoreCase) || string.Equals(t.Id, named, StringComparison.OrdinalIgnoreCase))
        ?? TeamsOf(tenantId).Where(t => t.Name.Split(' ').Any(w => string.Equals(w, named, StringComparison.OrdinalIgnoreCase))).SingleOrDefaultOrNull();

    private string TeamList(string tenantId) => string.Join(", ", TeamsOf(tenantId).Select(t => t.Name)) is { Length: > 0 } list ? list : "none yet";

    private (Team Team, Member Member)? Place(string tenantId, string key)
    {
        foreach (var team in TeamsOf(tenantId))
        {
            if (team.Members.FirstOrDefault(m => string.Equals(m.PersonKey, key, StringComparison.OrdinalIgnoreCase)) is { } member) return (team, member);
        }
        return null;
    }

    /// <summary>Someone who can be placed: on a roster, or known from having written to the bot.</summary>
    private sealed record Candidate(string Key, string Name, string? Email, string? TeamsUserId);

    /// <summary>
    /// The people in the speaker's tenant called <paramref name="named"/> (full name, else first name): roster members
    /// and everyone who has written to the bot. Rare, so it may read the tenant's people rows.
    /// </summary>
    private async Task<List<Candidate>> CandidatesAsync(string tenantId, string named, CancellationToken ct)
    {
        var all = new Dictionary<string, Candidate>(StringComparer.OrdinalIgnoreCase);
        foreach (var member in TeamsOf(tenantId).SelectMany(t => t.Members).Where(m => m.PersonKey.Length > 0))
            all.TryAdd(member.PersonKey, new Candidate(member.PersonKey, member.Name, member.Email, member.TeamsUserId));
        await foreach (var row in store.QueryAsync(Tables.People, tenantId, null, null, ct))
        {
            if (row.GetString("userName") is not { Length: > 0 } name || all.ContainsKey(row.RowKey)) continue;
            var teamsUser = row.GetString("channelId") == "msteams" ? row.GetString("userId") : null;
            all[row.RowKey] = new Candidate(row.RowKey, name, null, teamsUser);
        }
        var full = all.Values.Where(c => string.Equals(c.Name, named, StringComparison.OrdinalIgnoreCase)).ToList();
        return full.Count > 0 ? full : all.Values.Where(c => string.Equals(First(c.Name), named, StringComparison.OrdinalIgnoreCase)).ToList();
    }

    private static Ask? Read(string text)
    {
        if (Make().Match(text) is { Success: true } make)
        {
            var word = make.Groups["role"].Value.ToLowerInvariant();
            var lead = word is "team lead" or "lead" or "team leader";
            return new Ask(make.Groups["who"].Value.Trim(), Group(make, "team"), word is "rep" or "representative" or "agent" ? Role.Rep : Role.Manager,
                lead, Group(make, "limit"), Removal: false);
        }
        if (Add().Match(text) is { Success: true } add)
        {
            var word = Group(add, "role")?.ToLowerInvariant();
            Role? role = word is null ? null : word is "rep" or "representative" or "agent" ? Role.Rep : Role.Manager;
            return new Ask(add.Groups["who"].Value.Trim(), Group(add, "team"), role, word is "team lead" or "lead" or "team leader", Group(add, "limit"), Removal: false);
        }
        if (Remove().Match(text) is { Success: true } remove)
            return new Ask(remove.Groups["who"].Value.Trim(), Group(remove, "team"), null, false, null, Removal: true);
        return null;
    }

    private static string? Group(Match m, string name) => m.Groups[name].Success && m.Groups[name].Value.Trim().Length > 0 ? m.Groups[name].Value.Trim() : null;

    private const string Who = @"(?<who>\p{L}[\p{L}.' -]{0,60}?)";
    private const string RoleWord = @"(?<role>manager|team lead|team leader|lead|rep|representative|agent)";
    private const string TeamName = @"(?<team>\p{L}[\p{L}\p{N} &'.-]{0,60}?)(?: team)?";
    private const string Limit = @"(?: (?:up to|approving up to|to approve up to|with a limit of) (?<limit>[$€£]?\d[\d,]*(?:\.\d{1,2})?))?";

    [GeneratedRegex(@"^(?:please )?make " + Who + @" (?:an? |the )?" + RoleWord + @"(?: (?:of|in|for|on) (?:the )?" + TeamName + ")?" + Limit + "$", RegexOptions.IgnoreCase)]
    private static partial Regex Make();

    [GeneratedRegex(@"^(?:please )?add " + Who + @" (?:to|in) (?:the )?" + TeamName + @"(?: as (?:an? |the )?" + RoleWord + ")?" + Limit + "$", RegexOptions.IgnoreCase)]
    private static partial Regex Add();

    [GeneratedRegex(@"^(?:please )?(?:remove|take) " + Who + @" (?:from|off|out of) (?:the )?" + TeamName + "$", RegexOptions.IgnoreCase)]
    private static partial Regex Remove();
}

internal static class SingleExtensions
{
    /// <summary>The only element, or null when there are none or several.</summary>
    public static T? SingleOrDefaultOrNull<T>(this IEnumerable<T> items) where T : class
    {
        T? found = null;
        foreach (var item in items)
        {
            if (found is not null) return null;
            found = item;
        }
        return found;
    }
}
