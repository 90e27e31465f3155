namespace EmpowerBot.Conversation;

/// <summary>
/// What a person sees on a channel's home surface (Slack's App Home): the answers to a few read-only commands — their
/// budget, their credits waiting for a manager, a manager's pending decisions, and the obstacle board once that
/// feature is installed. They run as ordinary turns, so each feature answers exactly as it does in chat and no
/// channel learns a business rule.
/// </summary>
public sealed class HomeView(TurnHandler turns, Roster roster)
{
    /// <summary>In order. A command no feature recognises (the obstacle board before that feature exists) is skipped.</summary>
    public static readonly IReadOnlyList<string> Commands = ["budget", "status", "approvals", "obstacles"];

    public async Task<IReadOnlyList<Reply>> ForAsync(Turn turn, CancellationToken ct)
    {
        var person = roster.Resolve(turn.TenantId, turn.PersonKey, turn.PersonName, turn.PersonEmail);
        var replies = new List<Reply>();
        foreach (var text in Commands)
        {
            var command = turns.Commands.FirstOrDefault(c => c.Recognizes(text));
            if (command is null || (command.Info.ManagersOnly && !person.IsManager)) continue;
            var result = await turns.HandleAsync(turn with { Kind = TurnKind.Message, Text = text, Action = null, FormData = null }, ct);
            replies.AddRange(result.Replies);
        }
        return replies;
    }
}
