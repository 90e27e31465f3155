namespace EmpowerBot.Conversation;

/// <summary>
/// A feature that wants to know a person had a turn with the bot (e.g. quiet time counts it as activity).
/// Called after every message and card-action turn, once the turn has its result; installs are not observed.
/// An observer that throws is logged and ignored: it can never fail or change the person's turn.
/// </summary>
public interface ITurnObserver
{
    Task OnTurnAsync(TurnContext context, TurnResult result, CancellationToken ct);
}
