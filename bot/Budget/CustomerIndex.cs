using EmpowerBot.Storage;

namespace EmpowerBot.Budget;

/// <summary>What the repeat-customer rule saw of a customer: the credits counted, and the head row's ETag they were read at.</summary>
public sealed record CustomerWindow(int Counted, string? HeadETag);

/// <summary>
/// Credits per customer across reps (customers table), for the repeat-customer rule and the approver's card.
/// An applied credit enters its customer's history <em>before</em> the ledger batch, as a reservation: the row
/// <c>credit|{ticks}|{uid}</c> inserted as <c>Reserved</c> in one batch with the customer's <c>head</c> row replaced
/// under the ETag the count was read at. Two credits counting the same history therefore conflict, and the loser
/// counts again, on every instance. A reservation counts like an applied credit. Just after the reply the instance
/// that recorded the credit turns it into the credit as the ledger has it (<see cref="CustomerCompletions"/>); a
/// credit that ends up not applied gives it back at once. What a crash leaves (a line still reserved
/// <see cref="CommitGrace"/> after its credit) is settled from the ledger by whoever reads the line next: the
/// reservation names its ledger partition and idempotency key, so nothing else has to be stored first.
/// </summary>
public sealed class CustomerIndex(ITableStore store, Ledger ledger, TimeProvider clock, ILogger<CustomerIndex> log)
{
    private const string Prefix = "credit|";
    private const string HeadRow = "head";

    public const string Reserved = "Reserved";

    /// <summary>
    /// How long a reservation waits for its credit's ledger batch before a reader settles it. Longer than
    /// <see cref="CreditLedger.CommitDeadline"/>, so a place is never given up while its credit may still commit.
    /// </summary>
    public static readonly TimeSpan CommitGrace = TimeSpan.FromMinutes(2);

    public static string Partition(string tenantId, string customer) => Tables.Key(tenantId, customer);

    /// <summary>A line the repeat-customer rule counts: applied, or reserved by a credit being applied.</summary>
    public static bool IsStanding(string? status) => status is nameof(CreditStatus.Applied) or Reserved;

    /// <summary>
    /// Credits still standing (applied or reserved) to this customer since <paramref name="since"/>, and the head's
    /// ETag. "head" sorts after every credit row, so both come in one range query, i.e. one consistent read.
    /// </summary>
    public async Task<CustomerWindow> ReadAsync(string tenantId, string customer, DateTimeOffset since, CancellationToken ct)
    {
        var count = 0;
        string? head = null;
        foreach (var row in await LinesAsync(Partition(tenantId, customer), Row(since, ""), TableStoreExtensions.PrefixEnd(HeadRow), ct))
        {
            if (row.RowKey == HeadRow) head = row.ETag;
            else if (IsStanding(row.GetString("status"))) count++;
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
    /// <param name="ledgerPartition">Where the credit's ledger batch goes, and <paramref name="idempotencyKey"/> its key there: how a reader settles the line after a crash.</param>
    /// <returns>The reservation's ETag, for <see cref="CompleteAsync"/>.</returns>
    public async Task<string> ReserveAsync(string tenantId, string personKey, Credit credit, CustomerWindow seen, string ledgerPartition, string idempotencyKey, CancellationToken ct)
    {
        var partition = Partition(tenantId, credit.Customer);
        var head = new TableEntity(partition, HeadRow, new Dictionary<string, object?> { ["last"] = credit.Uid });
        var line = Entry(tenantId, personKey, credit, Reserved);
        line = line with { Properties = new Dictionary<string, object?>(line.Properties) { [LedgerPartition] = ledgerPartition, [IdempotencyKey] = idempotencyKey } };
        var etags = await store.SubmitAsync(Tables.Customers,
        [
            TableOperation.Insert(line),
            seen.HeadETag is null ? TableOperation.Insert(head) : TableOperation.Replace(head, seen.HeadETag),
        ], ct);
        return etags[0]!;
    }

    /// <summary>
    /// Just after the reply: the applied credit's line as recorded, replacing only the reservation it took (or, with
    /// none, written only where no line is yet). An undo, or a reader's settlement, that came first has the newer word.
    /// </summary>
    public async Task CompleteAsync(string tenantId, string personKey, Credit credit, string? reservationETag, CancellationToken ct)
    {
        var line = Entry(tenantId, personKey, credit, credit.Status.ToString());
        try
        {
            if (reservationETag is null) await store.InsertAsync(Tables.Customers, line, ct);
            else await store.ReplaceAsync(Tables.Customers, line, reservationETag, ct);
        }
        catch (StorageConflictException)
        {
            log.LogDebug("Customer history line {Uid} changed since its reservation; left as it is", credit.Uid);
        }
    }

    /// <summary>
    /// Gives a reservation back (the credit was not applied after all). Only a row still reserved goes: one that was
    /// recorded meanwhile (an approved exception) stays.
    /// </summary>
    public async Task ReleaseAsync(string tenantId, string customer, DateTimeOffset at, string uid, CancellationToken ct)
    {
        var row = await store.GetAsync(Tables.Customers, Partition(tenantId, customer), Row(at, uid), ct);
        if (row?.GetString("status") == Reserved) await DeleteReservedAsync(row, ct);
    }

    /// <summary>
    /// Settles a reservation from its credit as the ledger has it: an applied credit (or one undone since) becomes its
    /// ledger row's twin; anything else (recorded otherwise, replaced by a concurrent delivery of the same request,
    /// never committed) gives the place back. For a reservation whose place in the ledger is known to the caller.
    /// </summary>
    public async Task SettleAsync(string tenantId, string customer, DateTimeOffset at, string uid, string ledgerPartition, string idempotencyKey,
        Currency currency, CancellationToken ct)
    {
        var row = await store.GetAsync(Tables.Customers, Partition(tenantId, customer), Row(at, uid), ct);
        if (row?.GetString("status") == Reserved) await SettleRowAsync(row, ledgerPartition, idempotencyKey, currency, ct);
    }

    /// <summary>The customer's credits since <paramref name="since"/>, newest first (for the approver's card).</summary>
    public async Task<IReadOnlyList<CustomerCredit>> RecentAsync(string tenantId, string customer, Currency currency, DateTimeOffset since, CancellationToken ct)
    {
        var list = new List<CustomerCredit>();
        foreach (var row in await LinesAsync(Partition(tenantId, customer), Row(since, ""), TableStoreExtensions.PrefixEnd(Prefix), ct))
        {
            var ticks = long.Parse(row.RowKey.AsSpan(Prefix.Length, 19), System.Globalization.CultureInfo.InvariantCulture);
            list.Add(new CustomerCredit(new DateTimeOffset(ticks, TimeSpan.Zero), new Money(row.GetInt64("amount"), currency),
                row.GetString("status") ?? "", row.GetBool("exception"), UidOf(row)));
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
        foreach (var row in await LinesAsync(Partition(tenantId, customer), Row(from, ""), Row(to.AddTicks(1), ""), ct))
        {
            credited |= row.GetString("status") == nameof(CreditStatus.Applied);
            last = row.GetString("person") ?? last;
        }
        return (credited, last);
    }

    /// <summary>
    /// Before an undo's batch: the credit's line becomes a reservation again, naming the credit's ledger row, so a crash
    /// after the batch leaves a line its next reader settles as voided (and one before it, as applied). It counts
    /// meanwhile, as the applied credit does. Its grace runs from now, not from the credit: a reader in between must
    /// not settle it from the ledger the undo is about to change.
    /// </summary>
    public Task ReopenAsync(string tenantId, string personKey, Credit credit, string ledgerPartition, CancellationToken ct)
    {
        var line = Entry(tenantId, personKey, credit, Reserved);
        return store.UpsertAsync(Tables.Customers, line with
        {
            Properties = new Dictionary<string, object?>(line.Properties) { [LedgerPartition] = ledgerPartition, [ReopenedAt] = clock.GetUtcNow() },
        }, ct);
    }

    /// <summary>Records (or re-records) a credit's current status in the customer's history.</summary>
    public Task RecordAsync(string tenantId, string personKey, Credit credit, CancellationToken ct) =>
        store.UpsertAsync(Tables.Customers, Entry(tenantId, personKey, credit, credit.Status.ToString()), ct);

    private const string LedgerPartition = "ledger";
    private const string IdempotencyKey = "key";
    private const string ReopenedAt = "reopened";

    /// <summary>
    /// The rows of a range, read to the end first (no read stays open while a line is settled), with every reservation
    /// left by a crash settled on the way: as the ledger has it, or gone.
    /// </summary>
    private async Task<List<TableEntity>> LinesAsync(string partition, string from, string? to, CancellationToken ct)
    {
        var rows = await store.QueryAsync(Tables.Customers, partition, from, to, ct).ToListAsync(ct);
        var stale = clock.GetUtcNow() - CommitGrace;
        // A line reserved before reservations named their ledger place is settled by the outbox follow-up stored with it.
        var left = rows.Where(row => row.GetString("status") == Reserved && row.RowKey.StartsWith(Prefix, StringComparison.Ordinal)
            && ReservedAt(row) <= stale && row.GetString(LedgerPartition) is not null && row.GetString("currency") is not null).ToList();
        if (left.Count == 0) return rows;
        // After a busy instance's crash a customer may hold several: settled side by side.
        var settled = await Task.WhenAll(left.Select(row =>
            SettleRowAsync(row, row.GetString(LedgerPartition)!, row.GetString(IdempotencyKey), Currency.Of(row.GetString("currency")!), ct)));
        var byKey = left.Select((row, i) => (row.RowKey, Line: settled[i])).ToDictionary(x => x.RowKey, x => x.Line, StringComparer.Ordinal);
        return rows.Select(row => byKey.TryGetValue(row.RowKey, out var line) ? line : row).OfType<TableEntity>().ToList();
    }

    /// <summary>
    /// The line as the ledger has its credit, or null when the place was given back. A reservation finds its credit by
    /// idempotency key (its ref is the first attempt's, which a retry may have changed); a reopened line by its ref.
    /// </summary>
    private async Task<TableEntity?> SettleRowAsync(TableEntity row, string ledgerPartition, string? idempotencyKey, Currency currency, CancellationToken ct)
    {
        var credit = await ledger.FindAsync(ledgerPartition, idempotencyKey, idempotencyKey is null ? row.GetString("ref") : null, currency, ct);
        if (credit is { Status: CreditStatus.Applied or CreditStatus.Voided } && credit.Uid == UidOf(row))
        {
            var line = row with { Properties = new Dictionary<string, object?>(row.Properties) { ["status"] = credit.Status.ToString(), ["ref"] = credit.Ref }, ETag = null };
            try
            {
                await store.ReplaceAsync(Tables.Customers, line, row.ETag!, ct);
                log.LogInformation("Customer history line {Uid} settled from the ledger: {Status}", credit.Uid, credit.Status);
                return line;
            }
            catch (StorageConflictException)
            {
                // Completed or settled by someone else in between: theirs is the line.
                return await store.GetAsync(Tables.Customers, row.PartitionKey, row.RowKey, ct);
            }
        }
        await DeleteReservedAsync(row, ct);
        log.LogInformation("Customer history line {Uid} given back: its credit was not applied", UidOf(row));
        return null;
    }

    private async Task DeleteReservedAsync(TableEntity row, CancellationToken ct)
    {
        try
        {
            await store.DeleteAsync(Tables.Customers, row.PartitionKey, row.RowKey, row.ETag!, ct);
        }
        catch (StorageConflictException)
        {
            // Recorded or released by someone else in between: theirs is the newer word.
        }
    }

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

    /// <summary>When the line was last made a reservation: by its credit, or by an undo reopening it.</summary>
    private static DateTimeOffset ReservedAt(TableEntity row) =>
        row.GetTime(ReopenedAt) ?? AtOf(row);

    private static DateTimeOffset AtOf(TableEntity row) =>
        new(long.Parse(row.RowKey.AsSpan(Prefix.Length, 19), System.Globalization.CultureInfo.InvariantCulture), TimeSpan.Zero);

    private static string UidOf(TableEntity row) => row.RowKey[(Prefix.Length + 20)..];
}

/// <summary>One credit in a customer's history, whoever gave it.</summary>
/// <param name="Uid">The credit's uid (an approval request's id is its credit's).</param>
public sealed record CustomerCredit(DateTimeOffset At, Money Amount, string Status, bool Exception, string Uid = "")
{
    /// <summary>Whether the repeat-customer rule counts it: applied, or reserved by a credit being applied.</summary>
    public bool Standing => CustomerIndex.IsStanding(Status);
}
