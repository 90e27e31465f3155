using EmpowerBot.Conversation;
using EmpowerBot.Storage;

namespace EmpowerBot.Budget;

public enum UndoOutcome { Undone, AlreadyUndone, NotFound, NotApplied, TooLate }

/// <summary>What became of an undo: the credit as it now stands and what the rep has left in its month.</summary>
public sealed record UndoResult(UndoOutcome Outcome, Credit? Credit = null, Money? Remaining = null, DateTimeOffset? Deadline = null);

/// <summary>
/// Voids one of the rep's own credits within the undo window: the credit row is marked voided (it stays in the
/// ledger) and its amount returns to the balance, in one atomic batch guarded by both rows' ETags. The credit's line in
/// its customer's history follows, so an undone credit no longer counts for the repeat-customer rule: reopened as a
/// reservation before the batch and marked voided after it, so a crash between the two is settled by the line's next
/// reader (<see cref="CustomerIndex.ReopenAsync"/>).
/// </summary>
public sealed class CreditUndo(ITableStore store, CustomerIndex customers, TimeProvider clock, ILogger<CreditUndo> log)
{
    private const int MaxAttempts = 16;

    /// <summary>Whether an undo now would void this credit: given from the budget (not an approved exception), not yet undone, within the window.</summary>
    public static bool CanUndo(Credit credit, DateTimeOffset now, TimeSpan window) =>
        credit is { Status: CreditStatus.Applied, Exception: false } && now <= credit.CreatedAt + window;

    public async Task<UndoResult> UndoAsync(Person person, Team team, string creditRef, TimeSpan window, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var current = Period.Containing(now, team.TimeZone);
        // A credit made just before midnight on the last day can still be undone just after: look in both months.
        foreach (var period in new[] { current, current.Previous() })
        {
            var partition = LedgerRows.Partition(person.TenantId, person.Key, period);
            for (var attempt = 1; attempt <= MaxAttempts; attempt++)
            {
                var row = await store.GetAsync(Tables.Budgets, partition, LedgerRows.CreditPrefix + creditRef, ct);
                if (row is null) break;
                var credit = LedgerRows.ReadCredit(row, team.Currency);
                var balanceRow = await store.GetAsync(Tables.Budgets, partition, LedgerRows.BalanceRow, ct);
                var balance = LedgerRows.ReadBalance(balanceRow, team.Currency);
                var remaining = person.MonthlyBudget - balance.Spent;
                if (credit.Status == CreditStatus.Voided) return new UndoResult(UndoOutcome.AlreadyUndone, credit, remaining);
                if (credit.Status != CreditStatus.Applied || credit.Exception) return new UndoResult(UndoOutcome.NotApplied, credit, remaining);
                var deadline = credit.CreatedAt + window;
                if (now > deadline) return new UndoResult(UndoOutcome.TooLate, credit, remaining, deadline);
                var voided = credit with { Status = CreditStatus.Voided, VoidedAt = now };
                var restored = balance with { Spent = balance.Spent - credit.Amount };
                // Again on every attempt: a reader may have settled the line back to applied in between.
                await customers.ReopenAsync(person.TenantId, person.Key, credit, partition, ct);
                try
                {
                    await store.SubmitAsync(Tables.Budgets,
                    [
                        TableOperation.Replace(LedgerRows.WriteCredit(partition, voided), row.ETag!),
                        LedgerRows.SaveBalance(partition, restored, balance.ETag),
                    ], ct);
                    log.LogInformation("Credit {Ref} of {Person} undone", creditRef, person.Key);
                    await RecordVoidedAsync(person, voided);
                    return new UndoResult(UndoOutcome.Undone, voided, person.MonthlyBudget - restored.Spent);
                }
                catch (StorageConflictException) when (attempt < MaxAttempts)
                {
                    // Another credit or undo moved the balance meanwhile: read both rows again.
                }
            }
        }
        return new UndoResult(UndoOutcome.NotFound);
    }

    /// <summary>The line as voided; the undo is done and told whatever happens here, as the reopened line settles itself.</summary>
    private async Task RecordVoidedAsync(Person person, Credit voided)
    {
        try
        {
            await customers.RecordAsync(person.TenantId, person.Key, voided, CancellationToken.None);
        }
        catch (Exception e) when (e is StorageUnavailableException or StorageConflictException)
        {
            log.LogWarning(e, "Undone credit {Ref} left reserved in its customer's history; its next reader settles it", voided.Ref);
        }
    }
}
