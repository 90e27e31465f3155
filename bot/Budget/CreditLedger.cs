using System.Security.Cryptography;
using EmpowerBot.Conversation;
using EmpowerBot.Storage;

namespace EmpowerBot.Budget;

/// <summary>What the policy made of a credit: the status it gets, the rule that fired and a sentence for the rep.</summary>
public sealed record CreditVerdict(CreditStatus Status, string Rule, string Sentence, string? WhatToDo = null);

/// <summary>A credit request as the rep made it, with the key that makes a redelivery harmless.</summary>
public sealed record CreditDraft(string IdempotencyKey, Money Amount, string Customer, string Reason);

/// <summary>The recorded credit, and whether this was a redelivery of a request already recorded.</summary>
public sealed record CreditRecorded(Credit Credit, Period Period, bool Replayed);

/// <summary>
/// The write side of a rep's ledger. One credit is one atomic batch in the rep's month partition:
/// the balance row (with the ETag it was read at) + the credit row + the idempotency row. A concurrent change
/// of the balance fails the batch; the ledger re-reads and asks the policy again, so the budget is never
/// overspent whatever the concurrency. A redelivered request finds its idempotency row and gets the original credit.
/// </summary>
/// <remarks>
/// Within one bot instance, credits of the same rep month take turns (a striped lock), so they do not fight over
/// the balance's ETag; across instances the ETag alone keeps the ledger right.
/// </remarks>
public sealed class CreditLedger(ITableStore store, TimeProvider clock, ILogger<CreditLedger> log)
{
    private readonly SemaphoreSlim[] turns = Enumerable.Range(0, Stripes).Select(_ => new SemaphoreSlim(1, 1)).ToArray();

    private const int MaxAttempts = 64;
    private const int Stripes = 1024;
    private const string RefAlphabet = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"; // Crockford base32: no I, L, O, U

    public async Task<CreditRecorded> RecordAsync(Person person, Team team, CreditDraft draft, Func<Money, CreditVerdict> decide, CancellationToken ct)
    {
        var now = clock.GetUtcNow();
        var period = Period.Containing(now, team.TimeZone);
        var partition = LedgerRows.Partition(person.TenantId, person.Key, period);
        var turn = turns[(int)((uint)StableHash(partition) % Stripes)];
        await turn.WaitAsync(ct);
        try
        {
            return await RecordInTurnAsync(person, draft, decide, team, now, period, partition, ct);
        }
        finally
        {
            turn.Release();
        }
    }

    private async Task<CreditRecorded> RecordInTurnAsync(Person person, CreditDraft draft, Func<Money, CreditVerdict> decide, Team team,
        DateTimeOffset now, Period period, string partition, CancellationToken ct)
    {
        var idemRow = LedgerRows.IdempotencyRow(draft.IdempotencyKey);
        var uid = Guid.NewGuid().ToString("N");
        for (var attempt = 1; ; attempt++)
        {
            ct.ThrowIfCancellationRequested();
            if (await ReplayAsync(partition, idemRow, team.Currency, ct) is { } earlier)
            {
                return new CreditRecorded(earlier, period, Replayed: true);
            }
            var balance = LedgerRows.ReadBalance(await store.GetAsync(Tables.Budgets, partition, LedgerRows.BalanceRow, ct), team.Currency);
            var remaining = team.MonthlyBudget - balance.Spent;
            var verdict = decide(remaining);
            var applied = verdict.Status == CreditStatus.Applied;
            var credit = new Credit(NewRef(), uid, draft.Amount, draft.Customer, draft.Reason, verdict.Status, now, verdict.Rule, verdict.Sentence,
                applied ? remaining - draft.Amount : remaining, WhatToDo: verdict.WhatToDo);
            var batch = new List<TableOperation>
            {
                TableOperation.Insert(LedgerRows.WriteCredit(partition, credit)),
                TableOperation.Insert(LedgerRows.WriteIdempotency(partition, draft.IdempotencyKey, credit.Ref)),
            };
            if (applied)
            {
                batch.Add(LedgerRows.SaveBalance(partition, balance.Add(draft.Amount), balance.ETag));
            }
            try
            {
                await store.SubmitAsync(Tables.Budgets, batch, ct);
                log.LogInformation("Credit {Ref} for {Person}: {Status} ({Rule})", credit.Ref, person.Key, credit.Status, credit.Rule);
                return new CreditRecorded(credit, period, Replayed: false);
            }
            catch (StorageConflictException e) when (attempt < MaxAttempts)
            {
                // Balance moved, the same request landed concurrently, or the short ref collided: read again and decide again.
                log.LogDebug("Credit batch conflict on operation {Index} ({Reason}), attempt {Attempt}", e.OperationIndex, e.Reason, attempt);
                await Task.Delay(TimeSpan.FromMilliseconds(Random.Shared.Next(0, Math.Min(50, attempt * 2))), ct);
            }
        }
    }

    /// <summary>The credit a request already produced, if this request was seen before.</summary>
    private async Task<Credit?> ReplayAsync(string partition, string idemRow, Currency currency, CancellationToken ct)
    {
        var seen = await store.GetAsync(Tables.Budgets, partition, idemRow, ct);
        if (seen?.GetString("credit") is not { } creditRef) return null;
        var row = await store.GetAsync(Tables.Budgets, partition, LedgerRows.CreditPrefix + creditRef, ct);
        return row is null ? null : LedgerRows.ReadCredit(row, currency);
    }

    private static int StableHash(string s)
    {
        var h = 17;
        foreach (var c in s) h = unchecked(h * 31 + c);
        return h;
    }

    /// <summary>"C-7F3K": short enough to read out on a call; collisions within a month are caught by the insert.</summary>
    private static string NewRef()
    {
        Span<char> chars = stackalloc char[4];
        for (var i = 0; i < chars.Length; i++) chars[i] = RefAlphabet[RandomNumberGenerator.GetInt32(RefAlphabet.Length)];
        return "C-" + new string(chars);
    }
}
