using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using EmpowerBot.Conversation.Cards;
using EmpowerBot.Insights;

namespace EmpowerBot.Obstacles;

/// <summary>
/// What the team view and the digest say about obstacles: the good news first (fixed this month), then the top
/// open ones people are behind. Counts only; never who raised or backed them.
/// </summary>
public sealed class ObstacleHighlights(ObstacleBoard board) : ITeamHighlights
{
    private const int Shown = 3;

    public async Task<IReadOnlyList<TeamHighlight>> ForTeamAsync(string tenantId, Team team, Period period, CancellationToken ct)
    {
        var all = await board.AllAsync(tenantId, ct);
        var fixedNow = all.Where(o => o.Status == ObstacleStatus.Fixed && o.LastChange is { } c && period.Contains(c.At))
            .OrderByDescending(o => o.Votes).Take(Shown)
            .Select(o => new TeamHighlight("Obstacles", $"Fixed: {Short(o)} (#{o.Id}, {Backers(o)})", GoodNews: true));
        var open = all.Where(o => !o.IsClosed).OrderByDescending(o => o.Votes).ThenByDescending(o => o.Id).Take(Shown)
            .Select(o => new TeamHighlight("Obstacles", $"Open: {Short(o)} (#{o.Id}, {Backers(o)}, {o.Status.Label().ToLowerInvariant()})"));
        return fixedNow.Concat(open).ToList();
    }

    private static string Short(Obstacle o) => CardText.Inert(o.Text, 90);

    private static string Backers(Obstacle o) => (o.Votes == 1 ? "1 backer" : $"{o.Votes} backers")
        + (o.CustomerEvidence > 0 ? $", {ObstacleCards.Count(o.CustomerEvidence, "customer")} said the same" : "");
}
