using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using EmpowerBot.Storage;
using EmpowerBot.Storage.Sqlite;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace EmpowerBot.Tests.Budget;

/// <summary>The ledger's invariants, tried directly against the store: no overspend, exactly once, no partial state.</summary>
public sealed class CreditLedgerTests : IAsyncLifetime
{
    private static readonly Currency Usd = Currency.Of("USD");
    private readonly string path = Path.Combine(Path.GetTempPath(), "empowerbot-tests", Guid.NewGuid().ToString("N"), "ledger.db");
    private readonly FakeTimeProvider clock = new(new DateTimeOffset(2026, 11, 22, 15, 0, 0, TimeSpan.Zero));
    private SqliteTableStore store = null!;
    private CreditLedger ledger = null!;
    private Ledger reader = null!;

    private static readonly Team Team = new("demo", "Demo", "", Usd, TimeZoneInfo.FindSystemTimeZoneById("America/Vancouver"),
        new Money(200_00, Usd), []);

    private static readonly Person Rep = new("t1", "aad:rep", "Rep", Team, Role.Rep);

    public async Task InitializeAsync()
    {
        store = new SqliteTableStore(path, NullLogger<SqliteTableStore>.Instance);
        await store.EnsureTablesAsync(Tables.All, default);
        reader = new Ledger(store, clock);
        ledger = new CreditLedger(store, new CustomerIndex(store, reader, clock, NullLogger<CustomerIndex>.Instance), clock, NullLogger<CreditLedger>.Instance);
    }

    public async Task DisposeAsync() => await store.DisposeAsync();

    /// <summary>The budget rule alone: apply when it fits what is left, else it is an exception.</summary>
    private static CreditVerdict FitsBudget(Money amount, Money remaining) => amount <= remaining
        ? new CreditVerdict(CreditStatus.Applied, "within-policy", "ok")
        : new CreditVerdict(CreditStatus.PendingApproval, "over-budget", "over budget");

    private Task<CreditRecorded> Credit(string key, long cents) =>
        ledger.RecordAsync(Rep, Team, new CreditDraft(key, new Money(cents, Usd), "ACME-1", "Late delivery"), r => FitsBudget(new Money(cents, Usd), r), default);

    [Fact]
    public async Task Sixty_four_concurrent_credits_never_overspend_and_applied_credits_sum_to_spent()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => Task.Run(() => Credit("act-" + i, 7_00))));

        var status = await reader.GetStatusAsync(Rep, Team, default);
        var applied = results.Where(r => r.Credit.Status == CreditStatus.Applied).ToList();
        Assert.True(status.Balance.Spent <= Team.MonthlyBudget, $"spent {status.Balance.Spent}");
        Assert.Equal(status.Balance.Spent.Minor, applied.Sum(r => r.Credit.Amount.Minor));
        Assert.Equal(28, applied.Count); // 28 × $7 = $196; the 29th would overspend
        Assert.Equal(64 - 28, results.Count(r => r.Credit.Status == CreditStatus.PendingApproval));
        Assert.Equal(64, status.Credits.Count);
        Assert.Equal(64, results.Select(r => r.Credit.Ref).Distinct().Count());
    }

    [Fact]
    public async Task The_same_request_delivered_ten_times_concurrently_applies_one_credit()
    {
        var results = await Task.WhenAll(Enumerable.Range(0, 10).Select(_ => Task.Run(() => Credit("same-activity", 25_00))));

        var status = await reader.GetStatusAsync(Rep, Team, default);
        Assert.Equal(25_00, status.Balance.Spent.Minor);
        Assert.Single(status.Credits);
        Assert.Single(results.Select(r => r.Credit).Distinct());
        Assert.Equal(9, results.Count(r => r.Replayed));
    }

    [Fact]
    public async Task A_redelivery_later_returns_the_original_receipt_even_after_other_credits()
    {
        var first = await Credit("a1", 25_00);
        await Credit("a2", 50_00);

        var again = await Credit("a1", 25_00);

        Assert.True(again.Replayed);
        Assert.Equal(first.Credit, again.Credit);
        Assert.Equal(175_00, again.Credit.RemainingAfter.Minor);
    }

    [Fact]
    public async Task A_batch_failing_midway_leaves_no_partial_state()
    {
        store.Writer.Hooks.BeforeOperation = (_, op, index) =>
        {
            if (index == 2) throw new IOException("disk unplugged");
        };

        await Assert.ThrowsAnyAsync<Exception>(() => Credit("boom", 25_00));

        store.Writer.Hooks.BeforeOperation = null;
        var rows = await store.QueryAsync(Tables.Budgets, LedgerRows.Partition("t1", "aad:rep", Period.Containing(clock.GetUtcNow(), Team.TimeZone)), null, null, default)
            .ToListAsync(default);
        Assert.Empty(rows);
        var retried = await Credit("boom", 25_00);
        Assert.False(retried.Replayed);
        Assert.Equal(175_00, retried.Credit.RemainingAfter.Minor);
    }

    [Fact]
    public async Task Amounts_like_a_tenth_plus_two_tenths_stay_exact()
    {
        await Credit("x1", 10);
        await Credit("x2", 20);

        var status = await reader.GetStatusAsync(Rep, Team, default);
        Assert.Equal(30, status.Balance.Spent.Minor);
        Assert.Equal("$199.70", status.Remaining.ToString());
    }

    [Fact]
    public async Task A_new_month_in_the_team_time_zone_starts_with_the_full_budget()
    {
        clock.SetUtcNow(new DateTimeOffset(2026, 12, 1, 7, 59, 0, TimeSpan.Zero)); // Nov 30, 23:59 in Vancouver
        var lastMinute = await Credit("late", 150_00);
        clock.Advance(TimeSpan.FromMinutes(1)); // Dec 1, 00:00 in Vancouver

        var december = await reader.GetStatusAsync(Rep, Team, default);

        Assert.Equal("2026-11", lastMinute.Period.Key);
        Assert.Equal("2026-12", december.Period.Key);
        Assert.Equal(200_00, december.Remaining.Minor);
    }
}
