using EmpowerBot.Conversation;

namespace EmpowerBot.Budget;

/// <summary>Where a credit that needs a manager goes: the approvals feature implements it.</summary>
public interface IExceptionRequests
{
    /// <summary>
    /// Makes sure the credit (recorded as waiting for approval) has an approval request and that its approvers were
    /// asked; safe to call again for the same credit. Returns what to tell the rep (their card of the request).
    /// </summary>
    /// <param name="words">The rep's reason in their own words, as typed, for the manager's card; null when they gave none.</param>
    Task<Reply> RequestAsync(Person requester, Team team, Credit credit, string? words, CancellationToken ct);

    /// <summary>
    /// The first names of who would decide an exception of <paramref name="requester"/> for <paramref name="amount"/> (null:
    /// the first level, for any amount); empty when nobody is set up.
    /// </summary>
    IReadOnlyList<string> ApproverNames(Person requester, Money? amount = null);
}
