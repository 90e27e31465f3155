using EmpowerBot.Approvals;
using EmpowerBot.Budget;
using EmpowerBot.Conversation;
using EmpowerBot.Insights;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Budget;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.DependencyInjection;

namespace EmpowerBot.Tests.Approvals;

/// <summary>The team view counts a month's exceptions from that month's rows, not from every request the tenant ever had.</summary>
public sealed class MonthIndexTests : IDisposable
{
    private const string Megan = $"aad:{Activities.MeganAad}";
    private readonly WatchedStore.Watch watch = new();
    private readonly BotHost bot;

    public MonthIndexTests() => bot = new BotHost(configureServices: s => WatchedStore.Decorate(s, watch));

    public void Dispose() => bot.Dispose();

    private ApprovalStore Store => bot.Services.GetRequiredService<ApprovalStore>();

    private Team Frontline => bot.Services.GetRequiredService<Roster>().FindTeam(Activities.Tenant, "demo")!;

    private Period ThisMonth => Period.Containing(bot.Clock.GetUtcNow(), Frontline.TimeZone);

    private Task<TeamReport> ReportAsync() => bot.Services.GetRequiredService<TeamInsights>().ForAsync(Activities.Tenant, Frontline, ThisMonth, CancellationToken.None);

    [Fact]
    public async Task The_team_view_reads_this_months_requests_only_and_counts_how_they_ended()
    {
        for (var i = 0; i < 60; i++) await DecidedAsync($"old{i:D2}", ThisMonth.Start.AddDays(-40 - i % 20), ApprovalStatus.Approved);
        await DecidedAsync("now01", ThisMonth.Start.AddHours(1), ApprovalStatus.Approved);
        await DecidedAsync("now02", ThisMonth.Start.AddHours(2), ApprovalStatus.Declined);
        await Store.CreateOrGetAsync(Request("now03", ThisMonth.Start.AddHours(3)), CancellationToken.None);
        await ReportAsync(); // the first read of a tenant checks once for requests stored before the index

        watch.Clear();
        var report = await ReportAsync();

        Assert.Equal((3, 1, 1, 1), (report.Exceptions.Count, report.Exceptions.Approved, report.Exceptions.Declined, report.Exceptions.Pending));
        Assert.Equal(TimeSpan.FromMinutes(30), report.Exceptions.MedianTimeToDecision);
        var read = watch.Calls.Where(c => c.Table == Tables.Approvals).Sum(c => c.Rows);
        Assert.True(read <= 3, $"read {read} rows of approvals");
    }

    [Fact]
    public async Task Requests_stored_before_the_month_index_are_indexed_once_by_two_readers_at_once_and_then_kept_up_to_date()
    {
        // As an earlier version stored them: request rows alone, no month rows, no mark.
        var store = bot.Services.GetRequiredService<ITableStore>();
        await store.InsertAsync(Tables.Approvals, Request("legacy1", ThisMonth.Start.AddHours(1)).ToEntity(), CancellationToken.None);
        await store.InsertAsync(Tables.Approvals, (Request("legacy2", ThisMonth.Start.AddHours(2)) with
        {
            Status = ApprovalStatus.Declined, DecidedAt = ThisMonth.Start.AddHours(3),
        }).ToEntity(), CancellationToken.None);
        var other = new ApprovalStore(store, Microsoft.Extensions.Logging.Abstractions.NullLogger<ApprovalStore>.Instance);

        var found = await Task.WhenAll(
            Store.OutcomesAsync(Activities.Tenant, ThisMonth.Start, ThisMonth.End, null, CancellationToken.None),
            other.OutcomesAsync(Activities.Tenant, ThisMonth.Start, ThisMonth.End, null, CancellationToken.None));

        Assert.All(found, list => Assert.Equal(["legacy1", "legacy2"], list.Select(o => o.Id).Order()));
        Assert.Contains(await bot.RowsAsync(Tables.Approvals, Activities.Tenant), r => r.RowKey == "index|month");
        var legacy = (await Store.GetAsync(Activities.Tenant, "legacy1", CancellationToken.None))!;
        Assert.True(await Store.TryReplaceAsync(legacy with { Status = ApprovalStatus.Approved, DecidedAt = ThisMonth.Start.AddHours(5) }, CancellationToken.None));

        var report = await ReportAsync();
        Assert.Equal((2, 1, 1, 0), (report.Exceptions.Count, report.Exceptions.Approved, report.Exceptions.Declined, report.Exceptions.Pending));
    }

    [Fact]
    public async Task A_request_asked_in_the_last_hours_of_a_local_month_counts_in_that_month_not_the_next()
    {
        // UTC already in the next month, the team's own month not yet over (or the other way round): the period decides.
        var edge = ThisMonth.End.AddMinutes(-30);
        await Store.CreateOrGetAsync(Request("edge01", edge), CancellationToken.None);
        await Store.CreateOrGetAsync(Request("next01", ThisMonth.End.AddMinutes(30)), CancellationToken.None);

        var outcomes = await Store.OutcomesAsync(Activities.Tenant, ThisMonth.Start, ThisMonth.End, [$"aad:{Activities.AlexAad}".ToUpperInvariant()], CancellationToken.None);

        Assert.Equal(["edge01"], outcomes.Select(o => o.Id));
    }

    private async Task DecidedAsync(string id, DateTimeOffset at, ApprovalStatus status)
    {
        var request = await Store.CreateOrGetAsync(Request(id, at), CancellationToken.None);
        Assert.True(await Store.TryReplaceAsync(request with { Status = status, DecidedBy = Megan, DecidedAt = at.AddMinutes(30) }, CancellationToken.None));
    }

    private ApprovalRequest Request(string id, DateTimeOffset at) => new(id, Activities.Tenant, $"aad:{Activities.AlexAad}", "Alex Wilber", "demo",
        $"{Activities.Tenant}|aad:{Activities.AlexAad}|{at:yyyy-MM}", "C-" + id[..4].ToUpperInvariant(), 15000, "USD", "ACME-1042", "late delivery",
        "Exception threshold", "Over the $100 single-credit limit", [Megan], ApprovalStatus.Pending, at, at.AddHours(24));
}
