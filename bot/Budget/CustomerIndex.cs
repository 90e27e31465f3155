using EmpowerBot.Storage;

namespace EmpowerBot.Budget;

/// <summary>
/// Credits per customer across reps (customers table), for the repeat-customer rule. Written after the ledger
/// commits, idempotently (an upsert keyed by time and credit), so a redelivery or a retry writes the same row.
/// </summary>
public sealed class CustomerIndex(ITableStore store)
{
    private const string Prefix = "credit|";

    public static string Partition(string tenantId, string customer) => Tables.Key(tenantId, customer);

    /// <summary>Credits still standing (applied, not undone) to this customer since <paramref name="since"/>.</summary>
    public async Task<int> CountSinceAsync(string tenantId, string customer, DateTimeOffset since, CancellationToken ct)
    {
        var count = 0;
        await foreach (var row in store.QueryAsync(Tables.Customers, Partition(tenantId, customer), Row(since, ""), TableStoreExtensions.PrefixEnd(Prefix), ct))
        {
            if (row.GetString("status") == nameof(CreditStatus.Applied)) count++;
        }
        return count;
    }

    /// <summary>The customer's credits since <paramref name="since"/>, newest first (for the approver's card).</summary>
    public async Task<IReadOnlyList<CustomerCredit>> RecentAsync(string tenantId, string customer, Currency currency, DateTimeOffset since, CancellationToken ct)
    {
        var list = new List<CustomerCredit>();
        await foreach (var row in store.QueryAsync(Tables.Customers, Partition(tenantId, customer), Row(since, ""), TableStoreExtensions.PrefixEnd(Prefix), ct))
        {
            var ticks = long.Parse(row.RowKey.AsSpan(Prefix.Length, 19), System.Globalization.CultureInfo.InvariantCulture);
            list.Add(new CustomerCredit(new DateTimeOffset(ticks, TimeSpan.Zero), new Money(row.GetInt64("amount"), currency),
                row.GetString("status") ?? "", row.GetBool("exception")));
        }
        list.Reverse();
        return list;
    }

    /// <summary>Records (or re-records) a credit's current status in the customer's history.</summary>
    public Task RecordAsync(string tenantId, string personKey, Credit credit, CancellationToken ct) =>
        store.UpsertAsync(Tables.Customers, new TableEntity(Partition(tenantId, credit.Customer), Row(credit.CreatedAt, credit.Uid), new Dictionary<string, object?>
        {
            ["person"] = personKey,
            ["ref"] = credit.Ref,
            ["amount"] = credit.Amount.Minor,
            ["currency"] = credit.Amount.Currency.Code,
            ["status"] = credit.Status.ToString(),
            ["exception"] = credit.Exception,
        }), ct);

    // Ticks in 19 digits sort as strings in time order, so "since" is one range query.
    private static string Row(DateTimeOffset at, string uid) => $"{Prefix}{at.UtcTicks:D19}|{uid}";
}

/// <summary>One credit in a customer's history, whoever gave it.</summary>
public sealed record CustomerCredit(DateTimeOffset At, Money Amount, string Status, bool Exception);
