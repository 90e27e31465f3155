using EmpowerBot.Approvals;
using EmpowerBot.Budget;
using EmpowerBot.Conversation;

namespace EmpowerBot.Insights;

/// <summary>What another feature shows the executive across every team (the obstacles nobody has fixed), aggregates only.</summary>
public interface IOrgHighlights
{
    Task<OrgHighlights> ForOrgAsync(string tenantId, DateTimeOffset now, CancellationToken ct);
}

/// <param name="Lines">What the executive's view shows of the feature.</param>
/// <param name="Escalated">What goes up to the executive whatever any manager does: old obstacles, and those backed across teams.</param>
public sealed record OrgHighlights(IReadOnlyList<TeamHighlight> Lines, IReadOnlyList<TeamHighlight> Escalated);

/// <summary>One team in the executive's view. <paramref name="Shown"/> is false for a team too small to show figures of.</summary>
public sealed record OrgTeam(Team Team, int Reps, bool Shown, IReadOnlyList<(Period Period, ResolutionFigures Resolution)> Trend, ExceptionFigures Exceptions);

/// <summary>The executive's view of the organisation this month: every team side by side, and the organisation as a whole.</summary>
public sealed record OrgReport(
    IReadOnlyList<OrgTeam> Teams,
    ResolutionFigures Resolution,
    ResolutionFigures PreviousResolution,
    BudgetUse BudgetUse,
    ExceptionFigures Exceptions,
    IReadOnlyList<(Kudo Kudo, string TeamName)> GoodNews,
    IReadOnlyList<TeamHighlight> Highlights,
    IReadOnlyList<CustomerRating> Ratings,
    IReadOnlyList<TeamHighlight> Escalated);

/// <summary>
/// Computes the executive's view from each team's figures (<see cref="TeamInsights"/>). Only aggregates leave here: no
/// person's figures, no ranking of people, and a team of fewer than <see cref="MinReps"/> reps shows no figures of its
/// own (they still count in the organisation's totals), since a small team's figures point at a person.
/// </summary>
public sealed class OrgInsights(TeamInsights teams, ApprovalStore approvals, Roster roster, FeedbackLog feedback,
    IEnumerable<IOrgHighlights> highlights, TimeProvider clock)
{
    public const int MinReps = 3;
    public const int TrendMonths = 6;

    public async Task<OrgReport> ForAsync(string tenantId, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var lines = new List<OrgTeam>();
        var uses = new List<BudgetUse>();
        var previous = new List<ResolutionFigures>();
        var goodNews = new List<(Kudo, string)>();
        var ratings = new List<CustomerRating>();
        foreach (var team in roster.Teams.Where(t => Roster.AppliesTo(t, tenantId)))
        {
            var period = Period.Containing(now, team.TimeZone);
            var report = await teams.ForAsync(tenantId, team, period, ct, TrendMonths);
            var shown = report.BudgetUse.Reps >= MinReps;
            lines.Add(new OrgTeam(team, report.BudgetUse.Reps, shown, report.Trend, report.Exceptions));
            uses.Add(report.BudgetUse);
            previous.Add(report.PreviousResolution);
            if (shown) goodNews.AddRange(report.Kudos.Select(k => (k, team.Name)));
            ratings.AddRange(await feedback.ListAsync(tenantId, team.Id, period, ct));
        }
        ratings.AddRange(await feedback.ListAsync(tenantId, FeedbackLog.NoTeam, Period.Containing(now, TimeZoneInfo.Utc), ct));
        var firstOfTheMonth = lines.Count == 0 ? now : lines.Min(l => l.Trend[^1].Period.Start);
        var lastOfTheMonth = lines.Count == 0 ? now : lines.Max(l => l.Trend[^1].Period.End);
        var requests = (await approvals.OutcomesAsync(tenantId, firstOfTheMonth, lastOfTheMonth, null, ct))
            .Where(r => lines.Any(l => l.Trend[^1].Period.Contains(r.CreatedAt) && string.Equals(r.TeamId, l.Team.Id, StringComparison.OrdinalIgnoreCase))).ToList();
        var extra = new List<TeamHighlight>();
        var escalated = new List<TeamHighlight>();
        foreach (var source in highlights)
        {
            var found = await source.ForOrgAsync(tenantId, now, ct);
            extra.AddRange(found.Lines);
            escalated.AddRange(found.Escalated);
        }
        return new OrgReport(
            lines,
            ResolutionFigures.Sum(lines.Select(l => l.Trend[^1].Resolution)),
            ResolutionFigures.Sum(previous),
            BudgetUse.Sum(uses),
            ExceptionFigures.Of(requests),
            goodNews.OrderByDescending(g => g.Item1.At).ToList(),
            extra,
            ratings,
            escalated);
    }
}
