using System.Net;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Channels.BotFramework;

/// <summary>/api/messages with authentication on: only a valid Bot Framework token gets a turn processed.</summary>
public sealed class AuthenticatedEndpointTests : IAsyncLifetime
{
    private TestTokenIssuer issuer = null!;
    private BotHost bot = null!;

    public async Task InitializeAsync()
    {
        issuer = await TestTokenIssuer.StartAsync();
        bot = new BotHost(new()
        {
            ["MicrosoftAppId"] = TestTokenIssuer.AppId,
            ["MicrosoftAppPassword"] = "test-only-not-a-secret",
            ["BotFramework:OpenIdMetadataUrl"] = issuer.MetadataUrl,
        });
    }

    public async Task DisposeAsync()
    {
        bot.Dispose();
        await issuer.DisposeAsync();
    }

    // The bot's clock is a fake one; tokens are minted on its time.
    private string Token(string serviceUrl = TestTokenIssuer.ServiceUrl) => issuer.MintToken(serviceUrl: serviceUrl, issuedAt: bot.Clock.GetUtcNow());

    private static Dictionary<string, object?> Budget() => Activities.Message("budget", TestTokenIssuer.ServiceUrl);

    [Fact]
    public async Task A_valid_token_gets_the_turn_processed()
    {
        var replies = await bot.ExchangeAsync(Budget(), Token());

        Assert.Contains("$200.00", Assert.Single(replies).GetRawText());
    }

    [Fact]
    public async Task No_token_is_401_and_nothing_is_stored()
    {
        using var response = await bot.PostAsync(Budget());

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await bot.RowsAsync(Tables.People, Activities.Tenant));
    }

    [Fact]
    public async Task A_forged_token_is_401_and_nothing_is_stored()
    {
        var forged = issuer.MintToken(issuedAt: bot.Clock.GetUtcNow(), signingKey: TestTokenIssuer.CreateUnpublishedKey(issuer.CurrentKeyId));

        using var response = await bot.PostAsync(Budget(), forged);

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
        Assert.Empty(await bot.RowsAsync(Tables.People, Activities.Tenant));
    }

    [Fact]
    public async Task A_token_for_another_service_url_is_401()
    {
        using var response = await bot.PostAsync(Budget(), Token("https://evil.example/"));

        Assert.Equal(HttpStatusCode.Unauthorized, response.StatusCode);
    }

    [Fact]
    public async Task Unreachable_signing_keys_are_503_so_the_channel_retries()
    {
        issuer.MetadataAvailable = false;

        using var response = await bot.PostAsync(Budget(), Token());

        Assert.Equal(HttpStatusCode.ServiceUnavailable, response.StatusCode);
        Assert.Empty(await bot.RowsAsync(Tables.People, Activities.Tenant));
    }
}
