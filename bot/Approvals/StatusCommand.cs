using EmpowerBot.Conversation;

namespace EmpowerBot.Approvals;

/// <summary>"status": the rep's own requests waiting for a manager, each as their card with Add a note, Nudge and Withdraw.</summary>
public sealed class StatusCommand(ApprovalStore approvals, ApprovalCardFactory cards) : ICommand
{
    private const int MaxCards = 10;

    public CommandInfo Info { get; } = new("status", "status", "Your credits waiting for a manager's approval", "Approvals", InMenu: false);

    public bool Recognizes(string text) => text is "status" or "my requests" or "my request" or "requests" or "pending" or "pending requests" or "my pending requests" || StatusQuestion.IsMatch(text);

    /// <summary>"has Megan answered my request", "any news on my exception": questions about the rep's own waiting requests.</summary>
    private static readonly System.Text.RegularExpressions.Regex StatusQuestion = new(
        @"^(?!what if\b)(?!.*\b(?:budget|balance|break|obstacles?|ideas?|need|needs|without|allowed|approvals)\b)(?:(?:hey|so|ok|okay),? )?(?:has|have|did|is|are|any|anything|what|whats|what's|where|when|status|check|still|waiting)\b.*\b(?:requests?|exceptions?|approve|approved|approval|answered|replied|responded|decided|decision|signed off|pending|word|news|heard|update|updates|get back to me|got back to me|gotten back to me)\b",
        System.Text.RegularExpressions.RegexOptions.Compiled);

    public async Task<TurnResult> HandleAsync(TurnContext context, CancellationToken ct)
    {
        var person = context.Person;
        var mine = await approvals.PendingForRequesterAsync(person.TenantId, person.Key, ct);
        if (mine.Count == 0)
        {
            return TurnResult.Of(Reply.Say("You have no credits waiting for approval."));
        }
        var replies = new List<Reply> { Reply.Say($"Waiting for approval: {mine.Count} request{(mine.Count == 1 ? "" : "s")}") };
        replies.AddRange(mine.OrderBy(r => r.CreatedAt).Take(MaxCards).Select(r => cards.RepReply(r, person.ReadingZone)));
        return new TurnResult(replies);
    }
}
