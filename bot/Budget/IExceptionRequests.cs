using EmpowerBot.Conversation;

namespace EmpowerBot.Budget;

/// <summary>Where a credit that needs a manager goes: the approvals feature implements it.</summary>
public interface IExceptionRequests
{
    /// <summary>
    /// Makes sure the credit (recorded as waiting for approval) has an approval request and that its approvers were
    /// asked; safe to call again for the same credit. Returns what to tell the rep.
    /// </summary>
    Task<string> RequestAsync(Person requester, Team team, Credit credit, CancellationToken ct);
}
