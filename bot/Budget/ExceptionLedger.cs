using EmpowerBot.Storage;

namespace EmpowerBot.Budget;

/// <summary>
/// Settles a credit that waited for a manager: approved, it is applied as a manager-approved exception (funded outside
/// the rep's discretionary budget, counted in the balance's exceptions); declined or expired, it is closed as such.
/// Idempotent: settling an already settled credit changes nothing and returns it as it stands. An approved one is then
/// followed through as every applied credit is — its line in the customer's history and the billing hand-off — so the
/// approvals feature never needs to know what follows a credit (both steps are idempotent, so a settlement run again
/// repeats them harmlessly).
/// </summary>
public sealed class ExceptionLedger(ITableStore store, CustomerIndex customers, CreditHandoff handoff, ILogger<ExceptionLedger> log)
{
    private const int MaxAttempts = 16;

    /// <returns>The credit as it now stands, or null when it does not exist.</returns>
    /// <param name="decision">Who decided and what they said, for the rep's history: "Declined by Megan Bowen: “…”".</param>
    public async Task<Credit?> SettleAsync(string tenantId, string requesterKey, string partition, string creditRef, Currency currency, CreditStatus outcome,
        CancellationToken ct, string? decision = null)
    {
        var credit = await SettleInLedgerAsync(partition, creditRef, currency, outcome, decision, ct);
        if (credit is { Status: CreditStatus.Applied, Exception: true })
        {
            await customers.RecordAsync(tenantId, requesterKey, credit, ct);
            await handoff.IntendAsync(new CreditHandoffIntent(partition, currency.Code, CreditHandoff.Applied, null, credit.Ref), ct);
        }
        return credit;
    }

    private async Task<Credit?> SettleInLedgerAsync(string partition, string creditRef, Currency currency, CreditStatus outcome, string? decision, CancellationToken ct)
    {
        if (outcome is not (CreditStatus.Applied or CreditStatus.Declined or CreditStatus.Expired or CreditStatus.Withdrawn))
            throw new ArgumentException("An exception is settled as applied, declined, expired or withdrawn.", nameof(outcome));
        for (var attempt = 1; ; attempt++)
        {
            var row = await store.GetAsync(Tables.Budgets, partition, LedgerRows.CreditPrefix + creditRef, ct);
            if (row is null) return null;
            var credit = LedgerRows.ReadCredit(row, currency);
            if (credit.Status != CreditStatus.PendingApproval) return credit;
            var settled = credit with { Status = outcome, Exception = outcome == CreditStatus.Applied, Decision = decision };
            var batch = new List<TableOperation> { TableOperation.Replace(LedgerRows.WriteCredit(partition, settled), row.ETag!) };
            if (outcome == CreditStatus.Applied)
            {
                var balance = LedgerRows.ReadBalance(await store.GetAsync(Tables.Budgets, partition, LedgerRows.BalanceRow, ct), currency);
                batch.Add(LedgerRows.SaveBalance(partition, balance with { Exceptions = balance.Exceptions + credit.Amount }, balance.ETag));
            }
            try
            {
                await store.SubmitAsync(Tables.Budgets, batch, ct);
                log.LogInformation("Exception {Ref} settled as {Outcome}", creditRef, outcome);
                return settled;
            }
            catch (StorageConflictException) when (attempt < MaxAttempts)
            {
                // The rep's balance moved (another credit): read again.
            }
        }
    }
}
