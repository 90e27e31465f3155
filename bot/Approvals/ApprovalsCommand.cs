using EmpowerBot.Conversation;

namespace EmpowerBot.Approvals;

/// <summary>"approvals": a manager's pending requests, each as its card with Approve/Decline.</summary>
public sealed class ApprovalsCommand(ApprovalStore approvals, ApprovalCardFactory cards) : ICommand
{
    private const int MaxCards = 10;

    public CommandInfo Info { get; } = new("approvals", "approvals", "Credit exceptions waiting for your decision", "Approvals", ManagersOnly: true);

    public bool Recognizes(string text) => text is "approvals" or "pending approvals" or "my approvals";

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var me = context.Person.Key;
        var pending = await approvals.PendingForApproverAsync(context.Person.TenantId, me, ct);
        if (pending.Count == 0)
        {
            return TurnResult.Of(Reply.Say("Nothing is waiting for your decision. Your team is handling things on their own."));
        }
        var replies = new List<Reply> { Reply.Say($"{pending.Count} request{(pending.Count == 1 ? "" : "s")} waiting for your decision:") };
        foreach (var request in pending.OrderBy(r => r.CreatedAt).Take(MaxCards))
        {
            replies.Add(new Reply(null, await cards.ForAsync(request, me, ct)));
        }
        return new TurnResult(replies);
    }
}
