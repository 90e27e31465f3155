
namespace EmpowerBot.Budget;

public enum CreditStatus { Applied, Voided, PendingApproval, Refused, Declined, Expired, Withdrawn }

/// <summary>
/// One credit request in a rep's ledger, whatever became of it. <see cref="Ref"/> is what the rep sees and types
/// ("C-7F3K", unique within the rep's month); <see cref="Uid"/> is unique everywhere (billing's idempotency key).
/// <see cref="Exception"/> marks a manager-approved exception, funded outside the rep's budget.
/// </summary>
public sealed record Credit(
    string Ref,
    string Uid,
    Money Amount,
    string Customer,
    string Reason,
    CreditStatus Status,
    DateTimeOffset CreatedAt,
    string Rule,
    string Note,
    Money RemainingAfter,
    bool Exception = false,
    DateTimeOffset? VoidedAt = null,
    string? WhatToDo = null,
    string? Decision = null);

/// <summary>What a rep has spent in a period: discretionary credits and, separately, approved exceptions.</summary>
public sealed record Balance(Money Spent, Money Exceptions, string? ETag)
{
    public Balance Add(Money amount) => this with { Spent = Spent + amount };
}
