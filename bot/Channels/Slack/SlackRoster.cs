using System.Text.RegularExpressions;
using EmpowerBot.Conversation;
using Change = EmpowerBot.Conversation.OrganizationStore.Change;

namespace EmpowerBot.Channels.Slack;

/// <summary>
/// A Slack channel as an EmpowerBot team's roster. "/empower link-team Frontline" in a channel (by an org admin or one of
/// that team's managers) links the two: the channel's members (conversations.members, page by page) join the team as
/// reps, and member_joined_channel / member_left_channel keep it current. Bots and people already in another team are
/// left where they are; someone who leaves loses their budget at once, and their history stays.
/// </summary>
public sealed partial class SlackRoster(SlackApiClient api, SlackDirectory directory, Roster roster, OrganizationSync organization,
    ILogger<SlackRoster> log)
{
    [GeneratedRegex(@"^\s*link[- ]?team\s+(?<team>.{1,80}?)\s*$", RegexOptions.IgnoreCase)]
    private static partial Regex Link();

    /// <summary>The team named by "link-team NAME", or null when the text is not that.</summary>
    public static string? LinkRequest(string? text) => Link().Match(text ?? "") is { Success: true } m ? m.Groups["team"].Value : null;

    public async Task<string> LinkAsync(SlackInbound inbound, Turn turn, string channel, string teamName, CancellationToken ct)
    {
        var speaker = await organization.CurrentAsync(roster.Resolve(inbound.TenantId, inbound.PersonKey, turn.PersonName, turn.PersonEmail), ct);
        var team = roster.Teams.FirstOrDefault(t => Roster.AppliesTo(t, inbound.TenantId)
            && (string.Equals(t.Name, teamName, StringComparison.OrdinalIgnoreCase) || string.Equals(t.Id, teamName, StringComparison.OrdinalIgnoreCase)));
        if (team is null) return $"I don't know a team called \"{teamName}\". Nothing was linked.";
        var managesIt = speaker.IsManager && string.Equals(speaker.Team?.Id, team.Id, StringComparison.OrdinalIgnoreCase);
        if (!roster.IsAdmin(speaker) && !managesIt) return $"Only {team.Name}'s managers or an EmpowerBot admin can link a channel to it. Nothing was linked.";

        var settings = Settings(team.Id)!;
        settings.SlackChannel = channel;
        var changes = new List<Change> { new Change.PutTeam(settings) };
        var elsewhere = 0;
        string? cursor = null;
        do
        {
            var (members, next) = await api.ChannelMembersAsync(channel, cursor, ct);
            foreach (var user in members)
            {
                if (await JoinableAsync(inbound, team.Id, user, ct) is { } member) changes.Add(new Change.PutMember(team.Id, member));
                else elsewhere++;
            }
            cursor = next;
        }
        while (cursor is not null);
        await organization.ChangeAsync(changes, ct);
        log.LogInformation("Slack channel {Channel} linked to team {Team} by {Person}: {Members} member(s)", channel, team.Id, speaker.Key, changes.Count - 1);
        return $"This channel is now {team.Name}'s roster: {Plural(changes.Count - 1, "member")} of it {(changes.Count == 2 ? "is" : "are")} in the team" +
            (elsewhere > 0 ? $" ({Plural(elsewhere, "other")} — bots, or people already in another team — left where they are)" : "") +
            ". Whoever joins the channel joins the team as a rep; whoever leaves it leaves the team.";
    }

    public async Task MembershipAsync(SlackInbound inbound, CancellationToken ct)
    {
        if (inbound.Channel is not { } channel) return;
        var linked = roster.TeamSettings.FirstOrDefault(t => string.Equals(t.SlackChannel, channel, StringComparison.Ordinal));
        if (linked is null || roster.FindTeam(inbound.TenantId, linked.Id) is not { } team) return; // a channel no team is linked to
        var key = inbound.PersonKey;
        if (inbound.Kind == SlackInboundKind.MemberLeft)
        {
            if (team.Members.FirstOrDefault(m => string.Equals(m.PersonKey, key, StringComparison.OrdinalIgnoreCase)) is not { } member) return;
            await organization.ChangeAsync([new Change.RemoveMember(team.Id, OrganizationRows.KeyOf(member))], ct,
                tenantId: inbound.TenantId);
            log.LogInformation("{Person} left Slack channel {Channel}: no longer in team {Team}", key, channel, team.Id);
        }
        else if (await JoinableAsync(inbound, team.Id, inbound.UserId, ct) is { } joining)
        {
            await organization.ChangeAsync([new Change.PutMember(team.Id, joining)], ct);
            log.LogInformation("{Person} joined Slack channel {Channel}: a member of team {Team}", key, channel, team.Id);
        }
    }

    /// <summary>The Slack user as a member of <paramref name="teamId"/> (keeping their role there), or null for a bot or someone in another team.</summary>
    private async Task<MemberOptions?> JoinableAsync(SlackInbound inbound, string teamId, string user, CancellationToken ct)
    {
        if (user == inbound.BotUserId || user == "USLACKBOT") return null;
        var key = SlackIds.PersonKey(inbound.TeamId, user);
        var place = roster.Teams.Where(t => Roster.AppliesTo(t, inbound.TenantId))
            .Select(t => (Team: t, Member: t.Members.FirstOrDefault(m => string.Equals(m.PersonKey, key, StringComparison.OrdinalIgnoreCase))))
            .FirstOrDefault(p => p.Member is not null);
        if (place.Member is { } existing && !string.Equals(place.Team.Id, teamId, StringComparison.OrdinalIgnoreCase)) return null;
        var profile = await directory.ProfileAsync(user, ct);
        if (profile is { IsBot: true }) return null;
        return new MemberOptions
        {
            Id = key,
            Name = profile?.Name ?? place.Member?.Name ?? user,
            Email = profile?.Email ?? place.Member?.Email ?? "",
            Role = (place.Member?.Role ?? Role.Rep).ToString(),
            MonthlyBudget = place.Member?.MonthlyBudget?.ToDecimal(),
            ApprovesUpTo = place.Member?.ApprovesUpTo?.ToDecimal(),
        };
    }

    private TeamOptions? Settings(string teamId) =>
        roster.TeamSettings.FirstOrDefault(t => string.Equals(t.Id, teamId, StringComparison.OrdinalIgnoreCase))?.CopySettings();

    private static string Plural(int n, string noun) => n == 1 ? $"1 {noun}" : $"{n} {noun}s";
}
