using EmpowerBot.Conversation;
using EmpowerBot.Storage;

namespace EmpowerBot.Budget;

/// <summary>A rep's budget in one period, as the budget card and the credit decision need it.</summary>
public sealed record BudgetStatus(Person Person, Team Team, Period Period, Money Budget, Balance Balance, IReadOnlyList<Credit> Credits)
{
    public Money Remaining => Budget - Balance.Spent;
}

/// <summary>The read side of the rep's ledger: balance and credits of the current period.</summary>
public sealed class Ledger(ITableStore store, TimeProvider clock)
{
    public Task<BudgetStatus> GetStatusAsync(Person person, Team team, CancellationToken ct) =>
        GetStatusAsync(person, team, Period.Containing(clock.GetUtcNow(), team.TimeZone), ct);

    public async Task<BudgetStatus> GetStatusAsync(Person person, Team team, Period period, CancellationToken ct)
    {
        var partition = LedgerRows.Partition(person.TenantId, person.Key, period);
        // The balance row and the credit rows are neighbours in row-key order ("balance" < "credit|…" < "idem|…"):
        // one range read brings both, one round trip to the store per status.
        TableEntity? balanceRow = null;
        var credits = new List<Credit>();
        await foreach (var row in store.QueryAsync(Tables.Budgets, partition, LedgerRows.BalanceRow, LedgerRows.CreditsEnd, ct))
        {
            if (row.RowKey == LedgerRows.BalanceRow) balanceRow = row;
            else if (row.RowKey.StartsWith(LedgerRows.CreditPrefix, StringComparison.Ordinal)) credits.Add(LedgerRows.ReadCredit(row, team.Currency));
        }
        credits.Sort((a, b) => b.CreatedAt.CompareTo(a.CreatedAt));
        var balance = LedgerRows.ReadBalance(balanceRow, team.Currency);
        return new BudgetStatus(person, team, period, person.MonthlyBudget, balance, credits);
    }

    /// <summary>
    /// The credit a request produced (found by its idempotency key) or the credit with this ref; null when the ledger
    /// has neither (yet).
    /// </summary>
    public async Task<Credit?> FindAsync(string partition, string? idempotencyKey, string? creditRef, Currency currency, CancellationToken ct)
    {
        if (creditRef is null && idempotencyKey is not null)
        {
            var seen = await store.GetAsync(Tables.Budgets, partition, LedgerRows.IdempotencyRow(idempotencyKey), ct);
            creditRef = seen?.GetString("credit");
        }
        if (creditRef is null) return null;
        var row = await store.GetAsync(Tables.Budgets, partition, LedgerRows.CreditPrefix + creditRef, ct);
        return row is null ? null : LedgerRows.ReadCredit(row, currency);
    }
}
