using EmpowerBot.Conversation;

namespace EmpowerBot.Approvals;

/// <summary>How many exceptions wait for a person's decision, in the words the welcome and help cards show.</summary>
public sealed class WaitingDecisions(ApprovalStore approvals, Approvers approvers)
{
    /// <summary>The line and the button title for what waits, or empty strings when nothing does.</summary>
    public async Task<(string Line, string Button)> ForAsync(Person person, CancellationToken ct)
    {
        // A rep is never asked to decide (nor is anyone covering, who is a manager): no read for their help card.
        if (!approvers.MayApprove(person)) return ("", "");
        var count = (await approvals.PendingForApproverAsync(person.TenantId, person.Key, ct)).Count;
        return count switch
        {
            0 => ("", ""),
            1 => ("1 credit exception is waiting for your decision.", "Review 1 decision"),
            _ => ($"{count} credit exceptions are waiting for your decision.", $"Review {count} decisions"),
        };
    }
}
