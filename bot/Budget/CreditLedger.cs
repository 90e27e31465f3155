using System.Security.Cryptography;
using EmpowerBot.Conversation;
using EmpowerBot.Storage;

namespace EmpowerBot.Budget;

/// <summary>What the policy made of a credit: the status it gets, the rule that fired and a sentence for the rep.</summary>
public sealed record CreditVerdict(CreditStatus Status, string Rule, string Sentence, string? WhatToDo = null);

/// <summary>A credit request as the rep made it, with the key that makes a redelivery harmless.</summary>
public sealed record CreditDraft(string IdempotencyKey, Money Amount, string Customer, string Reason);

/// <summary>The recorded credit, and whether this was a redelivery of a request already recorded.</summary>
/// <param name="ReservationETag">The customer line's ETag as the credit reserved it (null: none was taken), so its completion replaces only that.</param>
public sealed record CreditRecorded(Credit Credit, Period Period, bool Replayed, string? ReservationETag = null);

/// <summary>
/// When a credit happens and under which id, read once from the clock: the ledger's month, the billing intent's
/// month and the customer's history all come from this one instant, even at the last millisecond of a month.
/// </summary>
public sealed record CreditMoment(DateTimeOffset At, Period Period, string Uid)
{
    public static CreditMoment Now(TimeProvider clock, TimeZoneInfo zone)
    {
        var at = clock.GetUtcNow();
        return new CreditMoment(at, Period.Containing(at, zone), Guid.NewGuid().ToString("N"));
    }
}

/// <summary>A credit that takes its place in its customer's history, counting the credits since <paramref name="Since"/>.</summary>
public sealed record CustomerCount(DateTimeOffset Since);

/// <summary>
/// The write side of a rep's ledger. One credit is one atomic batch in the rep's month partition:
/// the balance row (with the ETag it was read at) + the credit row + the idempotency row. A concurrent change
/// of the balance fails the batch; the ledger re-reads and asks the policy again, so the budget is never
/// overspent whatever the concurrency. A redelivered request fails the batch on its idempotency row, finds the row on
/// the next attempt and gets the original credit (giving back a reservation it took meanwhile).
/// </summary>
/// <remarks>
/// With a <see cref="CustomerCount"/>, an applied credit first reserves its place in the customer's history
/// (<see cref="CustomerIndex.ReserveAsync"/>), so the repeat-customer rule holds under concurrency as the budget does;
/// a credit that ends up not applied gives the reservation back. The critical path of an applied credit is three
/// sequential round trips: the reads (and whatever the caller must store first) in parallel, the reservation, the batch.
/// Within one bot instance, credits of the same rep month take turns (a striped lock), so they do not fight over
/// the balance's ETag; across instances the ETags alone keep the ledger right.
/// </remarks>
public sealed class CreditLedger(ITableStore store, CustomerIndex customers, TimeProvider clock, ILogger<CreditLedger> log)
{
    /// <summary>A credit not committed this long after its moment is not committed at all (see <see cref="CustomerIndex.CommitGrace"/>).</summary>
    public static readonly TimeSpan CommitDeadline = TimeSpan.FromMinutes(1);

    private readonly StripedLock turns = new(1024);

    private const int MaxAttempts = 64;
    private const string RefAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32: no I, L, O, U

    private static readonly Task<TableEntity?> NotRead = Task.FromResult<TableEntity?>(null);

    /// <summary>A credit outside any customer's history (the ledger alone), at the clock's now.</summary>
    public Task<CreditRecorded> RecordAsync(Person person, Team team, CreditDraft draft, Func<Money, CreditVerdict> decide, CancellationToken ct) =>
        RecordAsync(person, team, draft, CreditMoment.Now(clock, team.TimeZone), null, (remaining, _) => decide(remaining), Task.CompletedTask, ct);

    /// <param name="decide">The policy, given what is left of the budget and how many credits the customer had since <see cref="CustomerCount.Since"/>.</param>
    /// <param name="prepared">What must be durable before the credit's first write (outbox intents); awaited with the first reads.</param>
    public async Task<CreditRecorded> RecordAsync(Person person, Team team, CreditDraft draft, CreditMoment moment, CustomerCount? count,
        Func<Money, int, CreditVerdict> decide, Task prepared, CancellationToken ct)
    {
        var partition = LedgerRows.Partition(person.TenantId, person.Key, moment.Period);
        return await turns.RunAsync(partition, () => RecordInTurnAsync(person, team, draft, moment, count, decide, prepared, partition, ct), ct);
    }

    private async Task<CreditRecorded> RecordInTurnAsync(Person person, Team team, CreditDraft draft, CreditMoment moment, CustomerCount? count,
        Func<Money, int, CreditVerdict> decide, Task prepared, string partition, CancellationToken ct)
    {
        var idemRow = LedgerRows.IdempotencyRow(draft.IdempotencyKey);
        CustomerWindow? held = null; // the history our reservation was taken against, once taken
        string? heldETag = null;
        for (var attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            // A request recorded already is found by the batch itself (its idempotency row exists): the first attempt
            // does not read for it, so a new credit, nearly every one, makes one storage call fewer.
            var seenTask = attempt == 1 ? NotRead : store.GetAsync(Tables.Budgets, partition, idemRow, ct);
            var balanceTask = store.GetAsync(Tables.Budgets, partition, LedgerRows.BalanceRow, ct);
            var windowTask = held is not null || count is null
                ? Task.FromResult(held ?? new CustomerWindow(0, null))
                : customers.ReadAsync(person.TenantId, draft.Customer, count.Since, ct);
            await Task.WhenAll(seenTask, balanceTask, windowTask, prepared);
            if (seenTask.Result?.GetString("credit") is { } earlierRef
                && await store.GetAsync(Tables.Budgets, partition, LedgerRows.CreditPrefix + earlierRef, ct) is { } earlierRow)
            {
                // This request was recorded already (a redelivery, or a concurrent copy of it won): ours is not needed.
                if (held is not null) await customers.ReleaseAsync(person.TenantId, draft.Customer, moment.At, moment.Uid, ct);
                return new CreditRecorded(LedgerRows.ReadCredit(earlierRow, team.Currency), moment.Period, Replayed: true);
            }
            var balance = LedgerRows.ReadBalance(balanceTask.Result, team.Currency);
            var remaining = person.MonthlyBudget - balance.Spent;
            var window = windowTask.Result;
            var verdict = decide(remaining, window.Counted);
            var applied = verdict.Status == CreditStatus.Applied;
            var credit = new Credit(NewRef(), moment.Uid, draft.Amount, draft.Customer, draft.Reason, verdict.Status, moment.At, verdict.Rule, verdict.Sentence,
                applied ? remaining - draft.Amount : remaining, WhatToDo: verdict.WhatToDo);
            try
            {
                if (applied && held is null && count is not null)
                {
                    heldETag = await customers.ReserveAsync(person.TenantId, person.Key, credit, window, partition, draft.IdempotencyKey, ct);
                    held = window;
                }
                else if (!applied && held is not null)
                {
                    await customers.ReleaseAsync(person.TenantId, draft.Customer, moment.At, moment.Uid, ct);
                    held = null;
                    heldETag = null;
                }
                await SubmitAsync(partition, draft, credit, applied ? balance : null, moment, ct);
                log.LogInformation("Credit {Ref} for {Person}: {Status} ({Rule})", credit.Ref, person.Key, credit.Status, credit.Rule);
                return new CreditRecorded(credit, moment.Period, Replayed: false, heldETag);
            }
            catch (StorageConflictException e) when (attempt < MaxAttempts)
            {
                // Balance moved, the customer's history grew, the same request landed concurrently, or the short ref
                // collided: read again and decide again (a reservation already held keeps its place).
                log.LogDebug("Credit conflict on operation {Index} ({Reason}), attempt {Attempt}", e.OperationIndex, e.Reason, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, Math.Min(50, attempt * 2))), ct);
            }
        }
    }

    private Task SubmitAsync(string partition, CreditDraft draft, Credit credit, Balance? spentFrom, CreditMoment moment, CancellationToken ct)
    {
        // Past the deadline a reader may already have given the customer's place away: nothing is written.
        if (clock.GetUtcNow() - moment.At > CommitDeadline)
            throw new TimeoutException($"Credit {credit.Uid} could not be committed within {CommitDeadline}; nothing was applied.");
        var batch = new List<TableOperation>
        {
            TableOperation.Insert(LedgerRows.WriteCredit(partition, credit)),
            TableOperation.Insert(LedgerRows.WriteIdempotency(partition, draft.IdempotencyKey, credit.Ref)),
        };
        if (spentFrom is not null)
        {
            batch.Add(LedgerRows.SaveBalance(partition, spentFrom.Add(draft.Amount), spentFrom.ETag));
        }
        return store.SubmitAsync(Tables.Budgets, batch, ct);
    }

    /// <summary>"C-7F3K": short enough to read out on a call; collisions within a month are caught by the insert.</summary>
    private static string NewRef()
    {
        Span<char> chars = stackalloc char[4];
        for (var i = 0; i < chars.Length; i++) chars[i] = RefAlphabet[RandomNumberGenerator.GetInt32(RefAlphabet.Length)];
        return "C-" + new string(chars);
    }
}
