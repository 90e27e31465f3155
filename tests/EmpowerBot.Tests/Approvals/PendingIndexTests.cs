using EmpowerBot.Approvals;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Budget;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace EmpowerBot.Tests.Approvals;

/// <summary>`approvals` and `status` read the requests that wait, not every request the tenant ever had.</summary>
public sealed class PendingIndexTests : IDisposable
{
    private const string Megan = $"aad:{Activities.MeganAad}";
    private readonly WatchedStore.Watch watch = new();
    private readonly BotHost bot;

    public PendingIndexTests() => bot = new BotHost(configureServices: s => WatchedStore.Decorate(s, watch));

    public void Dispose() => bot.Dispose();

    private ApprovalStore Store => bot.Services.GetRequiredService<ApprovalStore>();

    [Fact]
    public async Task Approvals_and_status_read_only_the_waiting_requests_of_a_tenant_with_a_long_history()
    {
        for (var i = 0; i < 40; i++) await DecidedAsync($"old{i:D2}");
        await Store.CreateOrGetAsync(Request("wait01"), CancellationToken.None);
        await Store.CreateOrGetAsync(Request("wait02"), CancellationToken.None);
        await bot.ExchangeAsync(Activities.Message("hello", user: "user-id-1", name: "Megan Bowen", aad: Activities.MeganAad));
        // The first read of a tenant checks once for requests stored before the index (see the last test).
        await Store.PendingForApproverAsync(Activities.Tenant, Megan, CancellationToken.None);

        watch.Clear();
        var approvals = (await bot.ExchangeAsync(Activities.Message("approvals", user: "user-id-1", name: "Megan Bowen", aad: Activities.MeganAad))).Everything();
        Assert.Contains("2 requests waiting for your decision", approvals);
        AssertReadFewRows();

        watch.Clear();
        var status = (await bot.ExchangeAsync(Activities.Message("status"))).Everything();
        Assert.Contains("Waiting for approval: 2 requests", status);
        AssertReadFewRows();
    }

    [Fact]
    public async Task A_decided_request_leaves_the_index_with_its_decision()
    {
        var request = await Store.CreateOrGetAsync(Request("gone01"), CancellationToken.None);
        Assert.Single(await Store.PendingForApproverAsync(Activities.Tenant, Megan, CancellationToken.None));

        Assert.True(await Store.TryReplaceAsync(request with { Status = ApprovalStatus.Withdrawn }, CancellationToken.None));

        Assert.Empty(await Store.PendingForApproverAsync(Activities.Tenant, Megan.ToUpperInvariant(), CancellationToken.None));
        Assert.Empty(await Store.PendingForRequesterAsync(Activities.Tenant, Request("xxxx").RequesterKey, CancellationToken.None));
        Assert.DoesNotContain(await bot.RowsAsync(Tables.Approvals, Activities.Tenant), r => r.RowKey.StartsWith("pending|"));
    }

    [Fact]
    public async Task Requests_stored_before_the_index_are_indexed_once_and_found()
    {
        // As an earlier version stored them: request rows alone, no index rows, no mark.
        var store = bot.Services.GetRequiredService<ITableStore>();
        await store.InsertAsync(Tables.Approvals, Request("legacy1").ToEntity(), CancellationToken.None);
        await store.InsertAsync(Tables.Approvals, (Request("legacy2") with { Status = ApprovalStatus.Approved }).ToEntity(), CancellationToken.None);

        var found = await Task.WhenAll(Store.PendingForApproverAsync(Activities.Tenant, Megan, CancellationToken.None),
            Store.PendingForApproverAsync(Activities.Tenant, Megan, CancellationToken.None));

        Assert.All(found, list => Assert.Equal(["legacy1"], list.Select(r => r.Id)));
        var rows = await bot.RowsAsync(Tables.Approvals, Activities.Tenant);
        Assert.Contains(rows, r => r.RowKey == "index|pending");
        Assert.True((await Store.GetAsync(Activities.Tenant, "legacy1", CancellationToken.None))!.Indexed);
        // Decided the old way's successor: it leaves the index like any other.
        var legacy = (await Store.GetAsync(Activities.Tenant, "legacy1", CancellationToken.None))!;
        Assert.True(await Store.TryReplaceAsync(legacy with { Status = ApprovalStatus.Approved }, CancellationToken.None));
        Assert.Empty(await Store.PendingForApproverAsync(Activities.Tenant, Megan, CancellationToken.None));
    }

    private void AssertReadFewRows()
    {
        var approvalReads = watch.Calls.Where(c => c.Table == Tables.Approvals).ToList();
        Assert.True(approvalReads.Sum(c => c.Rows) <= 4, $"read {approvalReads.Sum(c => c.Rows)} rows of approvals in {approvalReads.Count} calls");
    }

    private async Task DecidedAsync(string id)
    {
        var request = await Store.CreateOrGetAsync(Request(id), CancellationToken.None);
        Assert.True(await Store.TryReplaceAsync(request with { Status = ApprovalStatus.Approved, DecidedBy = Megan, DecidedAt = bot.Clock.GetUtcNow() },
            CancellationToken.None));
    }

    private ApprovalRequest Request(string id) => new(id, Activities.Tenant, $"aad:{Activities.AlexAad}", "Alex Wilber", "frontline",
        $"{Activities.Tenant}|aad:{Activities.AlexAad}|2026-11", "C-" + id[..4].ToUpperInvariant(), 15000, "USD", "ACME-1042", "late delivery",
        "Exception threshold", "Over the $100 single-credit limit", [Megan], ApprovalStatus.Pending, bot.Clock.GetUtcNow(),
        bot.Clock.GetUtcNow().AddHours(24));
}
