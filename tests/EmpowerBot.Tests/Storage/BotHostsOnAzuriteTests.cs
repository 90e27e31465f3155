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
