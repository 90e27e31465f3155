using EmpowerBot.Conversation;

namespace EmpowerBot.Obstacles;

/// <summary>"obstacles": the top open obstacles and ideas of the tenant, most backed first, each with a +1 button.</summary>
public sealed partial class ObstaclesCommand(ObstacleCorpus corpus, ObstacleVotes votes, ObstacleCards cards) : ICommand
{
    private static readonly HashSet<string> Phrases =
    [
        "obstacles", "ideas", "obstacle list", "list obstacles", "show obstacles", "top obstacles", "open obstacles",
        "obstacles and ideas", "obstacle board", "board",
    ];

    public CommandInfo Info { get; } = new("obstacles", "obstacles", "The open obstacles and ideas most people are behind; +1 the ones that get in your way too", "Obstacles and ideas");

    public bool Recognizes(string text) => IsList(text);

    /// <summary>True for a request to see the board, which "obstacle board" is too — not an obstacle called "board".</summary>
    public static bool IsList(string text) => Phrases.Contains(text) || Asked().IsMatch(text);

    /// <summary>"show me the obstacles", "what's on the board", "what ideas are open".</summary>
    [System.Text.RegularExpressions.GeneratedRegex(@"^(?:(?:show(?: me)?|list|see|view|what are|what's on|whats on|open|top|all|any|check)(?: the| all| open| top| current| latest)* (?:obstacles|ideas|board|issues|problems|obstacle board)(?: and ideas| board| list)?(?: on the board| open| up there)?(?: please| pls)?|what (?:obstacles|ideas|issues|problems) (?:are|is|have been) (?:open|raised|logged|reported|there|out there|on the board))$")]
    private static partial System.Text.RegularExpressions.Regex Asked();

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var person = context.Person;
        var board = await corpus.CurrentAsync(person.TenantId, ct);
        var top = board.Ranked.Take(ObstacleCards.ListSize).ToList();
        var mine = await Task.WhenAll(top.Select(o => votes.HasBackedAsync(person.TenantId, o.Id, person.Key, ct)));
        var backed = top.Where((_, i) => mine[i]).Select(o => o.Id).ToHashSet();
        var card = cards.List(top, board.OpenCount, person, backed);
        var summary = top.Count == 0
            ? "No open obstacles or ideas."
            : $"{ObstacleCards.Count(board.OpenCount, "open obstacle")} and ideas; top: '{ObstacleCards.Plain(top[0].Text)}' (#{top[0].Id}, {ObstacleCards.Count(top[0].Votes, "backer")}).";
        return TurnResult.Of(Reply.Show("obstacle-list", card, summary));
    }
}
