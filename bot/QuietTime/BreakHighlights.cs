using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using EmpowerBot.Insights;

namespace EmpowerBot.QuietTime;

/// <summary>The team view's line about breaks: team totals of the last seven days only, and nothing for small teams.</summary>
public sealed class BreakHighlights(QuietTimeInsights insights, TimeProvider clock) : ITeamHighlights
{
    public async Task<IReadOnlyList<TeamHighlight>> ForTeamAsync(string tenantId, Team team, Period period, CancellationToken ct)
    {
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(clock.GetUtcNow(), team.TimeZone).Date);
        var figures = await insights.ForTeamAsync(tenantId, team, today.AddDays(-6), today, ct);
        return [new TeamHighlight("Quiet-time breaks", figures.Describe())];
    }
}
