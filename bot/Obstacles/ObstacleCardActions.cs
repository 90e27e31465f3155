using EmpowerBot.Conversation;

namespace EmpowerBot.Obstacles;

/// <summary>"+1" on any obstacle card (Action.Execute <c>obstacle.vote</c>, data {id}): backs it and shows where it stands.</summary>
public sealed class VoteAction(ObstacleVotes votes, ObstacleCards cards) : ICardActionHandler
{
    public string Verb => "obstacle.vote";

    public async Task<TurnResult> HandleAsync(TurnContext context, CardAction action, CancellationToken ct)
    {
        var person = context.Person;
        if (CardData.Int(action.Data, "id") is not { } id) return CardActions.MissingId;
        var result = await votes.BackAsync(person.TenantId, id, person.Key, person.Team?.Id, ct);
        if (result.Obstacle is not { } o) return CardActions.Notice($"There is no obstacle or idea #{id}; nothing was changed.");
        var notice = result.Outcome switch
        {
            VoteOutcome.Backed => $"You backed #{o.Id}: {ObstacleCards.Count(o.Votes, "person", "people")} behind it now. You'll hear when a manager updates it.",
            VoteOutcome.AlreadyBacked => $"You already backed #{o.Id}; it counts once.",
            _ => $"#{o.Id} is already {o.Status.Label().ToLowerInvariant()}, so it takes no more +1s. Nothing was changed.",
        };
        return CardActions.Show(cards.Status(o, person, backed: result.Outcome != VoteOutcome.Closed, notice), notice);
    }
}

/// <summary>"Log mine separately" on the similar card (<c>obstacle.log</c>, data {text, kind, category, anonymous}).</summary>
public sealed class LogAction(ObstacleIntake intake) : ICardActionHandler
{
    public string Verb => "obstacle.log";

    public async Task<TurnResult> HandleAsync(TurnContext context, CardAction action, CancellationToken ct)
    {
        var text = CardData.String(action.Data, "text")?.Trim() ?? "";
        if (ObstacleIntake.Problem(text) is { } problem) return new TurnResult([], CardActionResult.Error(400, problem));
        var kind = ObstacleLabels.TryParseKind(CardData.String(action.Data, "kind"), out var k) ? k : ObstacleKind.Obstacle;
        var category = ObstacleLabels.TryParseCategory(CardData.String(action.Data, "category"), out var c) ? c : CategoryGuess.For(text);
        var draft = new ObstacleDraft(kind, text, category, CardData.Bool(action.Data, "anonymous"));
        var reply = await intake.SubmitAsync(context, draft, checkSimilar: false, ct);
        return new TurnResult([], CardActionResult.Updated(reply.Card!)) { Unobserved = draft.Anonymous };
    }
}

/// <summary>A manager's status button (<c>obstacle.status</c>, data {id, status}, with the note input "note" or "note-{id}").</summary>
public sealed class StatusAction(ObstacleTriage triage, ObstacleVotes votes, ObstacleCards cards) : ICardActionHandler
{
    public string Verb => "obstacle.status";

    public async Task<TurnResult> HandleAsync(TurnContext context, CardAction action, CancellationToken ct)
    {
        var person = context.Person;
        if (!person.IsManager) return new TurnResult([], CardActionResult.Error(403, "Only managers can set the status of an obstacle."));
        if (CardData.Int(action.Data, "id") is not { } id) return CardActions.MissingId;
        var word = CardData.String(action.Data, "status");
        if (!Enum.GetValues<ObstacleStatus>().Any(s => s.Word() == word))
        {
            return new TurnResult([], CardActionResult.Error(400, $"'{Conversation.Cards.CardText.Inert(word ?? "", 30)}' is not a status."));
        }
        var status = Enum.GetValues<ObstacleStatus>().First(s => s.Word() == word);
        var note = CardData.String(action.Data, $"note-{id}") is { Length: > 0 } itemNote ? itemNote : CardData.String(action.Data, "note");
        if ((note?.Length ?? 0) > ObstacleTriage.MaxNoteLength)
        {
            return new TurnResult([], CardActionResult.Error(400, $"Keep the note to {ObstacleTriage.MaxNoteLength} characters. Nothing was changed."));
        }
        var result = await triage.SetStatusAsync(person, id, status, note, ct);
        if (result.Obstacle is not { } o) return CardActions.Notice($"There is no obstacle or idea #{id}; nothing was changed.");
        var notice = TriageCommand.Notice(result, status);
        var backed = await votes.HasBackedAsync(person.TenantId, id, person.Key, ct);
        return CardActions.Show(cards.Status(o, person, backed, notice), notice);
    }
}

/// <summary>"Save category" on the status card (<c>obstacle.category</c>, data {id}, input "category"): the submitter or a manager.</summary>
public sealed class CategoryAction(ObstacleBoard board, ObstacleVotes votes, ObstacleCards cards) : ICardActionHandler
{
    public string Verb => "obstacle.category";

    public async Task<TurnResult> HandleAsync(TurnContext context, CardAction action, CancellationToken ct)
    {
        var person = context.Person;
        if (CardData.Int(action.Data, "id") is not { } id) return CardActions.MissingId;
        if (!ObstacleLabels.TryParseCategory(CardData.String(action.Data, "category"), out var category))
        {
            return new TurnResult([], CardActionResult.Error(400, "Pick one of the categories."));
        }
        if (await board.GetAsync(person.TenantId, id, ct) is not { } current) return CardActions.Notice($"There is no obstacle or idea #{id}.");
        if (!person.IsManager && current.Submitter != person.Key)
        {
            return new TurnResult([], CardActionResult.Error(403, "Only whoever raised it or a manager can change its category."));
        }
        var changed = await board.ChangeCategoryAsync(person.TenantId, id, category, ct) ?? current;
        var backed = await votes.HasBackedAsync(person.TenantId, id, person.Key, ct);
        var notice = $"#{id} is now under {category.Label()}.";
        return CardActions.Show(cards.Status(changed, person, backed, notice), notice);
    }
}

internal static class CardActions
{
    public static readonly TurnResult MissingId = new([], CardActionResult.Error(400, "This button does not say which obstacle it is for."));

    public static TurnResult Notice(string message) => new([], CardActionResult.Notice(message));

    public static TurnResult Show(ObstacleStatusCard card, string summary) =>
        new([], CardActionResult.Updated(new CardReply("obstacle-status", card, summary)));
}
