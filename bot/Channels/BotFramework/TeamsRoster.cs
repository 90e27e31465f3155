using System.Text.Json;
using EmpowerBot.Conversation;
using Change = EmpowerBot.Conversation.OrganizationStore.Change;

namespace EmpowerBot.Channels.BotFramework;

/// <summary>
/// A Microsoft Teams team as an EmpowerBot team. Installing the app in a team links the two: the EmpowerBot team takes
/// the Teams team's name and its members (read page by page from the connector's pagedmembers) as reps. The Teams
/// events that follow keep it current: a member added joins as a rep, a member removed leaves at once (their history
/// stays), a rename renames, and the team deleted or the app removed unlinks it. Managers are made in chat ("make
/// Megan a manager of Frontline") by an org admin. Every change is an upsert or a removal, so a redelivered event
/// changes nothing more. Someone already in another EmpowerBot team stays there.
/// </summary>
public sealed class TeamsRoster(ConnectorClient connector, OrganizationSync organization, Roster roster, ILogger<TeamsRoster> log)
{
    private const int PageSize = 100;

    /// <summary>
    /// Applies a team event; returns what to say in the team's channel when the app was installed there (the linked
    /// team and its people), else null.
    /// </summary>
    public async Task<string?> HandleAsync(Activity a, CancellationToken ct)
    {
        if (a.ChannelId != "msteams" || a.Type is not (ActivityTypes.ConversationUpdate or ActivityTypes.InstallationUpdate)) return null;
        if (TeamOf(a) is not { } teamsTeam) return null;
        var tenant = a.TenantId ?? roster.DefaultTenant;
        var botId = a.Recipient?.Id;
        var eventType = ChannelDataString(a, "eventType");
        var linked = Linked(tenant, teamsTeam.Id);
        var installed = a.Type == ActivityTypes.InstallationUpdate
            ? a.Action?.StartsWith("add", StringComparison.OrdinalIgnoreCase) == true
            : a.MembersAdded?.Any(m => m.Id == botId) == true;
        var uninstalled = a.Type == ActivityTypes.InstallationUpdate
            ? a.Action?.StartsWith("remove", StringComparison.OrdinalIgnoreCase) == true
            : a.MembersRemoved?.Any(m => m.Id == botId) == true || eventType == "teamDeleted";

        if (installed) return await LinkAsync(a, tenant, teamsTeam, linked, ct);
        if (uninstalled && linked is not null) await UnlinkAsync(linked, tenant, eventType ?? a.Action ?? "removed", ct);
        else if (linked is null) return null; // an event of a team this deployment does not hold
        else if (eventType == "teamRenamed" && teamsTeam.Name is { Length: > 0 } name && name != linked.Name)
        {
            var renamed = Settings(linked.Id)!;
            renamed.Name = name;
            await organization.ChangeAsync([new Change.PutTeam(renamed)], ct);
            log.LogInformation("Teams team {TeamsTeam} renamed: EmpowerBot team {Team} is now {Name}", teamsTeam.Id, linked.Id, name);
        }
        else
        {
            var changes = new List<Change>();
            foreach (var gone in a.MembersRemoved ?? [])
            {
                if (gone.AadObjectId is { Length: > 0 } aad && linked.Members.FirstOrDefault(m => Same(m.PersonKey, "aad:" + aad)) is { } member)
                    changes.Add(new Change.RemoveMember(linked.Id, OrganizationRows.KeyOf(member)));
            }
            foreach (var joined in a.MembersAdded ?? [])
            {
                if (joined.Id == botId || joined.AadObjectId is not { Length: > 0 }) continue;
                var full = await connector.GetMemberAsync(a.ServiceUrl!, teamsTeam.Id, joined.Id!, ct) ?? new TeamsMember(joined.Id, joined.Name, joined.AadObjectId, null, null, null);
                if (Joinable(tenant, linked.Id, full) is { } member) changes.Add(new Change.PutMember(linked.Id, member));
            }
            await organization.ChangeAsync(changes, ct, tenantId: tenant);
            if (changes.Count > 0) log.LogInformation("Teams team {TeamsTeam}: {Count} membership change(s) in {Team}", teamsTeam.Id, changes.Count, linked.Id);
        }
        return null;
    }

    private async Task<string> LinkAsync(Activity a, string tenant, (string Id, string? Name) teamsTeam, Team? linked, CancellationToken ct)
    {
        var id = linked?.Id ?? "msteams-" + Convert.ToHexStringLower(System.Security.Cryptography.SHA256.HashData(System.Text.Encoding.UTF8.GetBytes(teamsTeam.Id)))[..12];
        var team = linked is not null ? Settings(linked.Id)! : NewTeam(id, tenant, teamsTeam);
        if (teamsTeam.Name is { Length: > 0 } name) team.Name = name;
        var changes = new List<Change> { new Change.PutTeam(team) };
        var elsewhere = new List<string>();
        string? next = null;
        do
        {
            var (members, token) = await connector.GetPagedMembersAsync(a.ServiceUrl!, teamsTeam.Id, next, PageSize, ct);
            foreach (var member in members)
            {
                if (member.Id == a.Recipient?.Id) continue;
                if (Joinable(tenant, id, member) is { } joining) changes.Add(new Change.PutMember(id, joining));
                else if (member.AadObjectId is { Length: > 0 }) elsewhere.Add(member.Name ?? member.AadObjectId);
            }
            next = token;
        }
        while (next is not null);
        await organization.ChangeAsync(changes, ct);
        log.LogInformation("Teams team {TeamsTeam} linked to EmpowerBot team {Team} ({Name}) with {Members} member(s)", teamsTeam.Id, id, team.Name, changes.Count - 1);
        var names = elsewhere.Count <= 1 ? string.Join("", elsewhere) : string.Join(", ", elsewhere[..^1]) + " and " + elsewhere[^1];
        var stays = elsewhere.Count == 0 ? "" : elsewhere.Count == 1
            ? $" {names} stays in the team they are already in."
            : $" {names} stay in the teams they are already in.";
        var managers = roster.FindTeam(tenant, id)?.Managers.Select(m => m.Name).ToList() ?? [];
        var who = managers.Count > 0
            ? $" Its managers: {string.Join(", ", managers)}."
            : $" An EmpowerBot admin makes its managers: **make NAME a manager of {team.Name}**.";
        return $"EmpowerBot is linked to **{team.Name}**: its {Plural(changes.Count - 1, "member")} can each give customers credits of up to " +
            $"{Budget.Money.FromDecimal(team.MonthlyBudget, Budget.Currency.Of(team.Currency))} a month on their own, in their 1:1 chat with me.{stays}{who}";
    }

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";

    private async Task UnlinkAsync(Team linked, string tenant, string why, CancellationToken ct)
    {
        await organization.ChangeAsync([new Change.RemoveTeam(linked.Id)], ct, tenantId: tenant);
        log.LogInformation("EmpowerBot team {Team} unlinked ({Why}): its members have no budget there any more; their history stays", linked.Id, why);
    }

    /// <summary>A new team's settings: the local demo team's money and clock when there is one, else the defaults.</summary>
    private TeamOptions NewTeam(string id, string tenant, (string Id, string? Name) teamsTeam)
    {
        var like = roster.DefaultTeam is { } model ? Settings(model.Id) : null;
        return new TeamOptions
        {
            Id = id,
            Name = teamsTeam.Name ?? id,
            Tenant = tenant,
            TeamsTeamId = teamsTeam.Id,
            Currency = like?.Currency ?? "USD",
            TimeZone = like?.TimeZone ?? "UTC",
            MonthlyBudget = like?.MonthlyBudget ?? 200m,
        };
    }

    /// <summary>The member as a rep of <paramref name="teamId"/>, or null when they are someone already in another team (they stay there).</summary>
    private MemberOptions? Joinable(string tenant, string teamId, TeamsMember m)
    {
        if (m.AadObjectId is not { Length: > 0 } aad) return null;
        var key = "aad:" + aad;
        var current = roster.Teams.Where(t => Roster.AppliesTo(t, tenant)).Select(t => (Team: t, Member: t.Members.FirstOrDefault(x => Same(x.PersonKey, key))))
            .FirstOrDefault(p => p.Member is not null);
        if (current.Member is { } existing)
        {
            if (!Same(current.Team.Id, teamId)) return null;
            // Already here: keep their role and limits, refresh how to reach them.
            return new MemberOptions
            {
                Id = key, Name = m.Name ?? existing.Name, Email = m.Email ?? existing.Email, TeamsUserId = m.Id ?? existing.TeamsUserId,
                Role = existing.Role.ToString(), MonthlyBudget = existing.MonthlyBudget?.ToDecimal(), ApprovesUpTo = existing.ApprovesUpTo?.ToDecimal(),
            };
        }
        return new MemberOptions { Id = key, Name = m.Name ?? "", Email = m.Email ?? m.UserPrincipalName ?? "", TeamsUserId = m.Id ?? "", Role = nameof(Role.Rep) };
    }

    private Team? Linked(string tenant, string teamsTeamId) =>
        roster.TeamSettings.FirstOrDefault(t => Same(t.TeamsTeamId, teamsTeamId)) is { } linked ? roster.FindTeam(tenant, linked.Id) : null;

    private TeamOptions? Settings(string teamId) => roster.TeamSettings.FirstOrDefault(t => Same(t.Id, teamId))?.CopySettings();

    private static bool Same(string? a, string? b) => string.Equals(a, b, StringComparison.OrdinalIgnoreCase);

    /// <summary>channelData.team: {"id": "19:…@thread.tacv2", "name": "Frontline"}, or null outside a team.</summary>
    private static (string Id, string? Name)? TeamOf(Activity a)
    {
        if (a.ChannelData is not { ValueKind: JsonValueKind.Object } data || !data.TryGetProperty("team", out var team) || team.ValueKind != JsonValueKind.Object) return null;
        if (!team.TryGetProperty("id", out var id) || id.ValueKind != JsonValueKind.String || id.GetString() is not { Length: > 0 } value) return null;
        return (value, team.TryGetProperty("name", out var name) && name.ValueKind == JsonValueKind.String ? name.GetString() : null);
    }

    private static string? ChannelDataString(Activity a, string property) =>
        a.ChannelData is { ValueKind: JsonValueKind.Object } data && data.TryGetProperty(property, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
}
