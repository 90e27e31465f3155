using EmpowerBot.Conversation;

namespace EmpowerBot.Obstacles;

/// <summary>
/// "obstacle 12 fixed Routed to the billing queue", "obstacle 12 acknowledged", "obstacle 12 in progress",
/// "obstacle 12 wontfix &lt;reason&gt;", "obstacle 12 reopen": a manager sets the status, and everyone behind it hears.
/// </summary>
public sealed class TriageCommand(ObstacleTriage triage, ObstacleVotes votes, ObstacleCards cards) : ICommand
{
    public CommandInfo Info { get; } = new("obstacle", "obstacle 12 fixed Routed to the billing queue",
        "Set an obstacle's status: acknowledged, in progress, fixed (with a note) or wontfix (with the reason); reopen brings it back. " +
        "Everyone behind it is told", "Obstacles and ideas", ManagersOnly: true, InMenu: false);

    public bool Recognizes(string text) => ObstacleText.IsTriage(text);

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var (turn, person) = context;
        var request = ObstacleText.ReadTriage(turn.Text ?? "");
        var id = request.Id;
        if (!person.IsManager)
        {
            return Say($"Only managers can set the status of an obstacle. If #{id} gets in your way too, back it with +1 from **obstacles**.");
        }
        if (request.Status is not { } status)
        {
            return Say($"'{Shorten(request.UnknownWord ?? "")}' is not a status I know. Say **obstacle {id} acknowledged**, **obstacle {id} in progress**, " +
                $"**obstacle {id} fixed** (a note after it is passed on), **obstacle {id} wontfix** with the reason, or **obstacle {id} reopen**. Nothing was changed.");
        }
        if ((request.Note?.Length ?? 0) > ObstacleTriage.MaxNoteLength)
        {
            return Say($"That note is {request.Note!.Length:N0} characters; keep it to {ObstacleTriage.MaxNoteLength}. Nothing was changed.");
        }
        if (id > int.MaxValue)
        {
            return Say($"There is no obstacle or idea #{id}. Nothing was changed.");
        }
        var result = await triage.SetStatusAsync(person, (int)id, status, request.Note, ct);
        if (result.Obstacle is not { } obstacle)
        {
            return Say(result.Outcome == TriageOutcome.NotPermitted
                ? "Only managers can set the status of an obstacle."
                : $"There is no obstacle or idea #{id}. Type **obstacles** to see the open ones. Nothing was changed.");
        }
        var notice = Notice(result, status);
        var backed = await votes.HasBackedAsync(person.TenantId, obstacle.Id, person.Key, ct);
        return TurnResult.Of(cards.StatusReply(obstacle, person, backed, notice));
    }

    /// <summary>What a manager is told after a status change, by chat or card.</summary>
    public static string Notice(TriageResult result, ObstacleStatus asked)
    {
        var o = result.Obstacle!;
        var label = asked.Label().ToLowerInvariant();
        var told = result.Told == 0 ? "Nobody else is behind it, so nobody needed telling." : $"I'm telling the {ObstacleCards.Count(result.Told, "person", "people")} behind it.";
        return result.Outcome switch
        {
            TriageOutcome.Changed when asked == ObstacleStatus.Open => $"Reopened #{o.Id}. {told}",
            TriageOutcome.Changed => $"Marked #{o.Id} {label}. {told}",
            TriageOutcome.Unchanged => $"#{o.Id} is already {o.Status.Label().ToLowerInvariant()}." +
                (result.Told > 0 ? $" I've made sure the {ObstacleCards.Count(result.Told, "person", "people")} behind it heard." : " Nothing was changed."),
            TriageOutcome.NeedsReason => $"Won't fix needs a reason, so the people behind #{o.Id} understand: say **obstacle {o.Id} wontfix** and the reason " +
                "(or write it in the note box). Nothing was changed.",
            TriageOutcome.NotAllowed when o.IsClosed => $"#{o.Id} is {o.Status.Label().ToLowerInvariant()}; reopen it first with **obstacle {o.Id} reopen**. Nothing was changed.",
            TriageOutcome.NotAllowed when asked == ObstacleStatus.Open => $"#{o.Id} is still open ({o.Status.Label().ToLowerInvariant()}), so there is nothing to reopen.",
            _ => $"#{o.Id} is already {o.Status.Label().ToLowerInvariant()}, past {label}. Nothing was changed.",
        };
    }

    private static TurnResult Say(string text) => TurnResult.Of(Reply.Say(text));

    private static string Shorten(string s) => Conversation.Cards.CardText.Inert(s, 30);
}
