using System.Net;
using System.Text.Json;
using EmpowerBot.Storage;
using EmpowerBot.Storage.AzureTables;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Storage;

/// <summary>Whole bots on Azure Table Storage (Azurite): several instances share one account, as in production.</summary>
[Collection(AzuriteCollection.Name)]
public sealed class BotHostsOnAzuriteTests(AzuriteFixture azurite)
{
    [Fact]
    public async Task What_one_bot_instance_writes_the_other_reads()
    {
        var shared = TestStorage.AzureTables(azurite.ConnectionString, TestStorage.NewTablePrefix());
        using var first = new BotHost(shared);
        using var second = new BotHost(shared);

        // A turn on the first instance records Alex's conversation reference in the people table...
        var replies = await first.ExchangeAsync(Activities.Message("budget"));
        var row = await second.Store.GetAsync(Tables.People, Activities.Tenant, "aad:" + Activities.AlexAad, CancellationToken.None);

        // ...which the second instance reads, as it would to send Alex a proactive message.
        Assert.Contains("$200.00", Assert.Single(replies).GetRawText());
        Assert.IsType<AzureTableStore>(second.Store);
        Assert.NotNull(row);
        Assert.Equal(Activities.ConversationId + "-" + Activities.AlexAad[^4..], row.GetString("conversationId"));
        Assert.Contains("$200.00", Assert.Single(await second.ExchangeAsync(Activities.Message("budget"))).GetRawText());
    }

    [Fact]
    public async Task Concurrent_credits_for_one_rep_split_across_two_instances_never_overspend()
    {
        var shared = TestStorage.AzureTables(azurite.ConnectionString, TestStorage.NewTablePrefix());
        using var first = new BotHost(shared);
        using var second = new BotHost(shared, first.Clock);

        // 40 credits of $7 against Alex's $200, half through each instance, all at once: only ETags keep them apart.
        var replies = await Task.WhenAll(Enumerable.Range(0, 40).Select(i =>
            (i % 2 == 0 ? first : second).ExchangeAsync(Activities.Message($"credit $7 to CUST-{i} for late delivery"))));

        var rows = await first.RowsAsync(Tables.Budgets, $"{Activities.Tenant}|aad:{Activities.AlexAad}|2026-11");
        var spent = rows.Single(r => r.RowKey == "balance").GetInt64("spent");
        var applied = rows.Where(r => r.RowKey.StartsWith("credit|") && r.GetString("status") == "Applied").Sum(r => r.GetInt64("amount"));
        Assert.Equal(28 * 7_00, spent);
        Assert.Equal(spent, applied);
        Assert.Equal(40, rows.Count(r => r.RowKey.StartsWith("credit|")));
        Assert.Equal(28, replies.Count(r => r.Everything().Contains("Applied $7.00")));
    }

    [Fact]
    public async Task Storage_lost_mid_conversation_tells_the_rep_nothing_was_applied_and_health_says_so()
    {
        var own = await AzuriteProcess.StartAsync();
        try
        {
            using var bot = new BotHost(new(TestStorage.AzureTables(own.ConnectionString)) { ["Resilience:MaxRetries"] = "1" });
            Assert.Contains("$200.00", (await bot.ExchangeAsync(Activities.Message("budget"))).Everything());

            await own.StopAsync();
            var reply = (await bot.ExchangeAsync(Activities.Message("credit $25 to ACME-1042 for late delivery"))).Everything();

            Assert.Contains("couldn't save that just now, so nothing was applied", reply);
            using var health = await bot.CreateClient().GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.ServiceUnavailable, health.StatusCode);
        }
        finally
        {
            await own.DisposeAsync();
        }
    }

    [Fact]
    public async Task Each_instance_reports_the_shared_store_healthy()
    {
        var shared = TestStorage.AzureTables(azurite.ConnectionString);
        using var first = new BotHost(shared);
        using var second = new BotHost(shared);

        foreach (var bot in new[] { first, second })
        {
            using var response = await bot.CreateClient().GetAsync("/healthz");
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.Equal("reachable", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("storage").GetString());
        }
    }
}
