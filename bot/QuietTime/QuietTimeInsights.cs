using System.Globalization;
using EmpowerBot.Conversation;
using EmpowerBot.Storage;
using Microsoft.Extensions.Options;

namespace EmpowerBot.QuietTime;

/// <summary>
/// A team's quiet-time figures for a period: totals only. <see cref="TooFewToShow"/> when the team has fewer reps than
/// QuietTime:MinGroupSize, since then a total would point at a person; the counts are zero in that case.
/// </summary>
public sealed record TeamBreakFigures(string TeamName, DateOnly From, DateOnly To, bool TooFewToShow, int BreaksTaken, int PromptsSent, int PromptsAccepted)
{
    /// <summary>Share of suggested breaks that were taken, in percent; null when none was suggested.</summary>
    public int? AcceptedPercent => PromptsSent == 0 ? null : (int)Math.Round(100.0 * Math.Min(PromptsAccepted, PromptsSent) / PromptsSent);

    public string Describe()
    {
        var period = $"{From.ToString("MMM d", CultureInfo.InvariantCulture)}–{To.ToString("MMM d", CultureInfo.InvariantCulture)}";
        if (TooFewToShow)
            return $"Quiet-time figures for {TeamName} ({period}) are too few to show: with so few reps on the team, a total would point at a person.";
        var accepted = AcceptedPercent is { } percent
            ? $"{PromptsAccepted} of {PromptsSent} suggested breaks accepted ({percent}%)"
            : "no breaks suggested";
        return $"Quiet-time breaks in {TeamName}, {period}: {BreaksTaken} {(BreaksTaken == 1 ? "break" : "breaks")} taken; {accepted}. "
            + "Team totals only: nobody's own breaks are ever shown.";
    }
}

/// <summary>
/// Team-level quiet-time figures for managers and the later manager digest. Reads only the team's daily tallies, which
/// never say whose break or prompt they counted; no person's state or break log is read here.
/// </summary>
public sealed class QuietTimeInsights(ITableStore store, IOptions<QuietTimeOptions> options)
{
    public async Task<TeamBreakFigures> ForTeamAsync(string tenantId, Team team, DateOnly from, DateOnly to, CancellationToken ct)
    {
        if (Coverage.RosterReps(team) < options.Value.MinGroupSize) return new TeamBreakFigures(team.Name, from, to, true, 0, 0, 0);
        var partition = QuietTimeRows.Team(tenantId, team.Id);
        var fromKey = QuietTimeRows.Tally(Day(from));
        var toKey = QuietTimeRows.Tally(Day(to.AddDays(1)));
        long breaks = 0, sent = 0, accepted = 0;
        await foreach (var row in store.QueryAsync(Tables.QuietTime, partition, fromKey, toKey, ct))
        {
            breaks += row.GetInt64("breaksTaken");
            sent += row.GetInt64("promptsSent");
            accepted += row.GetInt64("promptsAccepted");
        }
        return new TeamBreakFigures(team.Name, from, to, false, (int)breaks, (int)sent, (int)accepted);
    }

    private static string Day(DateOnly d) => d.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
