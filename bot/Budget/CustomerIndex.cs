using EmpowerBot.Storage;

namespace EmpowerBot.Budget;

/// <summary>What the repeat-customer rule saw of a customer: the credits counted, and the head row's ETag they were read at.</summary>
public sealed record CustomerWindow(int Counted, string? HeadETag);

/// <summary>
/// Credits per customer across reps (customers table), for the repeat-customer rule and the approver's card.
/// An applied credit enters its customer's history <em>before</em> the ledger batch, as a reservation: the row
/// <c>credit|{ticks}|{uid}</c> inserted as <c>Reserved</c> in one batch with the customer's <c>head</c> row replaced
/// under the ETag the count was read at. Two credits counting the same history therefore conflict, and the loser
/// counts again, on every instance. A reservation counts like an applied credit until <see cref="CustomerFollowUp"/>
/// turns it into the credit as the ledger has it, or removes it when the credit was not applied.
/// </summary>
public sealed class CustomerIndex(ITableStore store)
{
    private const string Prefix = "credit|";
    private const string HeadRow = "head";

    public const string Reserved = "Reserved";

    public static string Partition(string tenantId, string customer) => Tables.Key(tenantId, customer);

    /// <summary>
    /// Credits still standing (applied or reserved) to this customer since <paramref name="since"/>, and the head's
    /// ETag. "head" sorts after every credit row, so both come in one range query, i.e. one consistent read.
    /// </summary>
    public async Task<CustomerWindow> ReadAsync(string tenantId, string customer, DateTimeOffset since, CancellationToken ct)
    {
        var count = 0;
        string? head = null;
        await foreach (var row in store.QueryAsync(Tables.Customers, Partition(tenantId, customer), Row(since, ""), TableStoreExtensions.PrefixEnd(HeadRow), ct))
        {
            if (row.RowKey == HeadRow) head = row.ETag;
            else if (row.GetString("status") is nameof(CreditStatus.Applied) or Reserved) count++;
        }
        return new CustomerWindow(count, head);
    }

    /// <summary>Credits still standing to this customer since <paramref name="since"/>.</summary>
    public async Task<int> CountSinceAsync(string tenantId, string customer, DateTimeOffset since, CancellationToken ct) =>
        (await ReadAsync(tenantId, customer, since, ct)).Counted;

    /// <summary>
    /// Takes the credit's place in its customer's history, provided nobody else took one since <paramref name="seen"/>
    /// was read. Throws <see cref="StorageConflictException"/> when someone did: count again and decide again.
    /// </summary>
    public Task ReserveAsync(string tenantId, string personKey, Credit credit, CustomerWindow seen, CancellationToken ct)
    {
        var partition = Partition(tenantId, credit.Customer);
        var head = new TableEntity(partition, HeadRow, new Dictionary<string, object?> { ["last"] = credit.Uid });
        return store.SubmitAsync(Tables.Customers,
        [
            TableOperation.Insert(Entry(tenantId, personKey, credit, Reserved)),
            seen.HeadETag is null ? TableOperation.Insert(head) : TableOperation.Replace(head, seen.HeadETag),
        ], ct);
    }

    /// <summary>
    /// Gives a reservation back (the credit was not applied after all). Only a row still reserved goes: one that was
    /// recorded meanwhile (an approved exception) stays.
    /// </summary>
    public async Task ReleaseAsync(string tenantId, string customer, DateTimeOffset at, string uid, CancellationToken ct)
    {
        var partition = Partition(tenantId, customer);
        var row = await store.GetAsync(Tables.Customers, partition, Row(at, uid), ct);
        if (row?.GetString("status") != Reserved) return;
        try
        {
            await store.DeleteAsync(Tables.Customers, partition, row.RowKey, row.ETag!, ct);
        }
        catch (StorageConflictException)
        {
            // Recorded or released by someone else in between: theirs is the newer word.
        }
    }

    /// <summary>The customer's credits since <paramref name="since"/>, newest first (for the approver's card).</summary>
    public async Task<IReadOnlyList<CustomerCredit>> RecentAsync(string tenantId, string customer, Currency currency, DateTimeOffset since, CancellationToken ct)
    {
        var list = new List<CustomerCredit>();
        await foreach (var row in store.QueryAsync(Tables.Customers, Partition(tenantId, customer), Row(since, ""), TableStoreExtensions.PrefixEnd(Prefix), ct))
        {
            var ticks = long.Parse(row.RowKey.AsSpan(Prefix.Length, 19), System.Globalization.CultureInfo.InvariantCulture);
            list.Add(new CustomerCredit(new DateTimeOffset(ticks, TimeSpan.Zero), new Money(row.GetInt64("amount"), currency),
                row.GetString("status") ?? "", row.GetBool("exception"), row.RowKey[(Prefix.Length + 20)..]));
        }
        list.Reverse();
        return list;
    }

    /// <summary>
    /// Whether the customer had a credit applied from <paramref name="from"/> up to <paramref name="to"/>, and who gave the
    /// latest credit of any status then (the rep who last dealt with them about money), in one range read.
    /// </summary>
    public async Task<(bool Credited, string? LastPerson)> CreditedAsync(string tenantId, string customer, DateTimeOffset from, DateTimeOffset to, CancellationToken ct)
    {
        var credited = false;
        string? last = null;
        await foreach (var row in store.QueryAsync(Tables.Customers, Partition(tenantId, customer), Row(from, ""), Row(to.AddTicks(1), ""), ct))
        {
            credited |= row.GetString("status") == nameof(CreditStatus.Applied);
            last = row.GetString("person") ?? last;
        }
        return (credited, last);
    }

    /// <summary>Records (or re-records) a credit's current status in the customer's history.</summary>
    public Task RecordAsync(string tenantId, string personKey, Credit credit, CancellationToken ct) =>
        store.UpsertAsync(Tables.Customers, Entry(tenantId, personKey, credit, credit.Status.ToString()), ct);

    private static TableEntity Entry(string tenantId, string personKey, Credit credit, string status) =>
        new(Partition(tenantId, credit.Customer), Row(credit.CreatedAt, credit.Uid), new Dictionary<string, object?>
        {
            ["person"] = personKey,
            ["ref"] = credit.Ref,
            ["amount"] = credit.Amount.Minor,
            ["currency"] = credit.Amount.Currency.Code,
            ["status"] = status,
            ["exception"] = credit.Exception,
        });

    // Ticks in 19 digits sort as strings in time order, so "since" is one range query.
    private static string Row(DateTimeOffset at, string uid) => $"{Prefix}{at.UtcTicks:D19}|{uid}";
}

/// <summary>One credit in a customer's history, whoever gave it.</summary>
/// <param name="Uid">The credit's uid (an approval request's id is its credit's).</param>
public sealed record CustomerCredit(DateTimeOffset At, Money Amount, string Status, bool Exception, string Uid = "");
