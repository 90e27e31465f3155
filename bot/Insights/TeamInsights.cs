using EmpowerBot.Approvals;
using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using EmpowerBot.Storage;

namespace EmpowerBot.Insights;

/// <summary>Highlights another feature contributes to the team view (obstacles, breaks), each optional.</summary>
public interface ITeamHighlights
{
    /// <summary>Lines for the team card under <see cref="TeamHighlight.Section"/>; empty when there is nothing to say.</summary>
    Task<IReadOnlyList<TeamHighlight>> ForTeamAsync(string tenantId, Team team, Period period, CancellationToken ct);
}

/// <summary>One line of a highlight section: "Obstacles" → "Refunds mailbox not monitored — fixed".</summary>
public sealed record TeamHighlight(string Section, string Text, bool GoodNews = false);

/// <summary>Everything the team view and the weekly digest show, for one team and month, against the month before.</summary>
public sealed record TeamReport(Team Team, Period Period, ResolutionFigures Resolution, ResolutionFigures PreviousResolution,
    BudgetUse BudgetUse, ExceptionFigures Exceptions, IReadOnlyList<Kudo> Kudos, IReadOnlyList<TeamHighlight> Highlights);

/// <summary>
/// Computes the team's figures from the ledger, the approvals and the kudos log, plus what other features contribute.
/// Only aggregates leave here: no per-person figure, no ranking.
/// </summary>
public sealed class TeamInsights(
    Ledger ledger,
    ApprovalStore approvals,
    KudosLog kudos,
    ITableStore store,
    Roster roster,
    IEnumerable<ITeamHighlights> highlights)
{
    public async Task<TeamReport> ForAsync(string tenantId, Team team, Period period, CancellationToken ct)
    {
        var members = await MembersAsync(tenantId, team, ct);
        var now = await StatusesAsync(members, team, period, ct);
        var before = await StatusesAsync(members, team, period.Previous(), ct);
        var memberKeys = members.Select(m => m.Key).ToHashSet(StringComparer.OrdinalIgnoreCase);
        var requests = await approvals.ListAsync(tenantId, r => memberKeys.Contains(r.RequesterKey) && period.Contains(r.CreatedAt), ct);
        var lines = new List<TeamHighlight>();
        foreach (var source in highlights)
        {
            lines.AddRange(await source.ForTeamAsync(tenantId, team, period, ct));
        }
        return new TeamReport(
            team,
            period,
            ResolutionFigures.Of(now.SelectMany(s => s.Credits)),
            ResolutionFigures.Of(before.SelectMany(s => s.Credits)),
            BudgetUse.Of(now.Where(s => s.Person.Role == Role.Rep)),
            ExceptionFigures.Of(requests),
            await kudos.ListAsync(tenantId, team.Id, period, ct),
            lines);
    }

    /// <summary>The team's frontline resolution month by month, oldest first, ending with <paramref name="period"/>.</summary>
    public async Task<IReadOnlyList<(Period Period, ResolutionFigures Resolution)>> TrendAsync(string tenantId, Team team, Period period, int months, CancellationToken ct)
    {
        var members = await MembersAsync(tenantId, team, ct);
        var trend = new List<(Period, ResolutionFigures)>();
        for (var (month, i) = (period, 0); i < months; (month, i) = (month.Previous(), i + 1))
        {
            trend.Add((month, ResolutionFigures.Of((await StatusesAsync(members, team, month, ct)).SelectMany(s => s.Credits))));
        }
        trend.Reverse();
        return trend;
    }

    /// <summary>The roster's members of the team; for the default team also everyone in the tenant on no roster.</summary>
    private async Task<IReadOnlyList<Person>> MembersAsync(string tenantId, Team team, CancellationToken ct)
    {
        var people = team.Members.Select(m => roster.Resolve(tenantId, m.PersonKey, m.Name)).Where(p => p.Team?.Id == team.Id).ToList();
        await foreach (var row in store.QueryAsync(Tables.People, tenantId, null, null, ct))
        {
            if (row.GetString("conversationType") == "channel") continue; // a channel the bot posts into, not a person
            var person = roster.Resolve(tenantId, row.RowKey, row.GetString("userName"));
            if (person.Team?.Id == team.Id && people.All(p => !string.Equals(p.Key, person.Key, StringComparison.OrdinalIgnoreCase)))
            {
                people.Add(person);
            }
        }
        return people;
    }

    private async Task<List<BudgetStatus>> StatusesAsync(IReadOnlyList<Person> members, Team team, Period period, CancellationToken ct)
    {
        var list = new List<BudgetStatus>();
        foreach (var member in members)
        {
            list.Add(await ledger.GetStatusAsync(member, team, period, ct));
        }
        return list;
    }
}
