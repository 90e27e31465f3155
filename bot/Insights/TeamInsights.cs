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
    BudgetUse BudgetUse, ExceptionFigures Exceptions, IReadOnlyList<Kudo> Kudos, IReadOnlyList<TeamHighlight> Highlights)
{
    /// <summary>The frontline resolution month by month, oldest first, ending with <see cref="Period"/>.</summary>
    public IReadOnlyList<(Period Period, ResolutionFigures Resolution)> Trend { get; init; } = [];
}

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
    /// <param name="months">How many months of frontline resolution to read into <see cref="TeamReport.Trend"/>, this one included (at least two).</param>
    public async Task<TeamReport> ForAsync(string tenantId, Team team, Period period, CancellationToken ct, int months = 2)
    {
        var members = await MembersAsync(tenantId, team, ct);
        var periods = new List<Period>();
        for (var (month, i) = (period, 0); i < Math.Max(2, months); (month, i) = (month.Previous(), i + 1)) periods.Add(month);
        periods.Reverse();
        var monthly = new List<(Period Period, BudgetStatus[] Statuses)>();
        foreach (var month in periods)
        {
            monthly.Add((month, await StatusesAsync(members, team, month, ct)));
        }
        var trend = monthly.Select(m => (m.Period, ResolutionFigures.Of(m.Statuses.SelectMany(s => s.Credits)))).ToList();
        var requests = await approvals.OutcomesAsync(tenantId, period.Start, period.End, members.Select(m => m.Key).ToList(), ct);
        var lines = new List<TeamHighlight>();
        foreach (var source in highlights)
        {
            lines.AddRange(await source.ForTeamAsync(tenantId, team, period, ct));
        }
        return new TeamReport(
            team,
            period,
            trend[^1].Item2,
            trend[^2].Item2,
            BudgetUse.Of(monthly[^1].Statuses.Where(s => s.Person.Role == Role.Rep)),
            ExceptionFigures.Of(requests),
            await kudos.ListAsync(tenantId, team.Id, period, ct),
            lines) { Trend = trend };
    }

    /// <summary>
    /// The roster's members of the team. Only the default team also has people on no roster, who are found among
    /// everyone the bot has met in the tenant; a rostered team is read from its roster alone.
    /// </summary>
    private async Task<IReadOnlyList<Person>> MembersAsync(string tenantId, Team team, CancellationToken ct)
    {
        var people = team.Members.Select(m => roster.Resolve(tenantId, m.PersonKey, m.Name)).Where(p => p.Team?.Id == team.Id).ToList();
        if (!string.Equals(roster.DefaultTeam?.Id, team.Id, StringComparison.OrdinalIgnoreCase)) return people;
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

    /// <summary>Each member's month, read a few members at a time (each is its own ledger partition).</summary>
    private async Task<BudgetStatus[]> StatusesAsync(IReadOnlyList<Person> members, Team team, Period period, CancellationToken ct)
    {
        var statuses = new BudgetStatus[members.Count];
        await Parallel.ForEachAsync(Enumerable.Range(0, members.Count), new ParallelOptions { MaxDegreeOfParallelism = ParallelReads, CancellationToken = ct },
            async (i, token) => statuses[i] = await ledger.GetStatusAsync(members[i], team, period, token));
        return statuses;
    }

    private const int ParallelReads = 8;
}
