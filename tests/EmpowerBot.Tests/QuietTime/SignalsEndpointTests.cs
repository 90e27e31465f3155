using System.Net;
using System.Text.Json;
using EmpowerBot.Outbox;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.QuietTime;

/// <summary>POST /api/signals: signed like the bot's webhooks, refused loudly when anything is off, applied all or nothing.</summary>
public sealed class SignalsEndpointTests : IAsyncLifetime
{
    private QuietBot q = null!;

    public async Task InitializeAsync() => q = await QuietBot.StartAsync(reps: 3);

    public async Task DisposeAsync() => await q.DisposeAsync();

    private static async Task<(HttpStatusCode Status, string Body)> Read(HttpResponseMessage response)
    {
        using (response) return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    private async Task<int> HandledAsync(int rep) => (await q.StateAsync(rep)).Handled;

    [Fact]
    public async Task A_signed_batch_for_several_people_is_applied()
    {
        var (status, body) = await Read(await q.SignalAsync(QuietBot.Events(
            ("interaction-handled", 0), ("interaction-handled", 0), ("difficult-interaction", 1), ("interaction-handled", 2))));

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(4, JsonDocument.Parse(body).RootElement.GetProperty("accepted").GetInt32());
        Assert.Equal((2, 0, 1), (await HandledAsync(0), await HandledAsync(1), await HandledAsync(2)));
        Assert.Single((await q.StateAsync(1)).Difficult);
    }

    [Fact]
    public async Task A_person_may_be_named_by_person_key_instead_of_email()
    {
        await q.SignalOkAsync(new { events = new[] { new { type = "interaction-handled", personKey = QuietBot.Key(1), tenant = Activities.Tenant } } });

        Assert.Equal(1, await HandledAsync(1));
    }

    [Fact]
    public async Task A_wrong_signature_is_refused_and_nothing_is_applied()
    {
        var (status, body) = await Read(await q.SignalAsync(QuietBot.Events(("interaction-handled", 0)), secret: "not-the-secret-at-all-0000"));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("Invalid signature", body);
        Assert.Equal(0, await HandledAsync(0));
    }

    [Fact]
    public async Task A_body_changed_after_signing_is_refused()
    {
        var (status, _) = await Read(await q.SignalAsync(QuietBot.Events(("interaction-handled", 0)), tweak: r =>
            r.Content = new StringContent(JsonSerializer.Serialize(QuietBot.Many("interaction-handled", 0, 50)), System.Text.Encoding.UTF8, "application/json")));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Equal(0, await HandledAsync(0));
    }

    [Theory]
    [InlineData(-301)]
    [InlineData(301)]
    public async Task A_timestamp_more_than_five_minutes_away_is_refused_even_when_correctly_signed(int seconds)
    {
        var (status, body) = await Read(await q.SignalAsync(QuietBot.Events(("interaction-handled", 0)), q.Clock.GetUtcNow().ToUnixTimeSeconds() + seconds));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("Stale timestamp", body);
    }

    [Fact]
    public async Task The_same_signed_request_sent_twice_is_refused_the_second_time_as_a_replay()
    {
        var events = JsonSerializer.Serialize(QuietBot.Events(("interaction-handled", 0)));
        var ts = q.Clock.GetUtcNow().ToUnixTimeSeconds();

        var first = await Read(await q.SignalAsync(events, ts));
        q.Clock.Advance(TimeSpan.FromMinutes(4));
        var second = await Read(await q.SignalAsync(events, ts));

        Assert.Equal(HttpStatusCode.OK, first.Status);
        Assert.Equal(HttpStatusCode.Unauthorized, second.Status);
        Assert.Contains("replay", second.Body);
        Assert.Equal(1, await HandledAsync(0));
    }

    [Theory]
    [InlineData(WebhookSignature.TimestampHeader)]
    [InlineData(WebhookSignature.SignatureHeader)]
    public async Task A_request_without_its_signature_headers_is_refused(string header)
    {
        var (status, body) = await Read(await q.SignalAsync(QuietBot.Events(("interaction-handled", 0)), tweak: r => r.Headers.Remove(header)));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("Missing", body);
    }

    [Theory]
    [InlineData("{not json", "not JSON")]
    [InlineData("[]", "\\\"events\\\" array")]
    [InlineData("""{"events":{}}""", "\\\"events\\\" array")]
    [InlineData("""{"events":[]}""", "empty")]
    [InlineData("""{"id":7,"events":[{"type":"shift-start","email":"alexw@contoso.example"}]}""", "\\\"id\\\" must be a string")]
    [InlineData("""{"events":[42]}""", "events[0] must be an object")]
    [InlineData("""{"events":[{"email":"alexw@contoso.example"}]}""", "events[0].type is required")]
    [InlineData("""{"events":[{"type":"coffee-break","email":"alexw@contoso.example"}]}""", "'coffee-break' is not one of interaction-handled")]
    [InlineData("""{"events":[{"type":"shift-start"}]}""", "exactly one of")]
    [InlineData("""{"events":[{"type":"shift-start","email":"alexw@contoso.example","personKey":"aad:x"}]}""", "exactly one of")]
    [InlineData("""{"events":[{"type":"shift-start","email":17}]}""", "events[0].email must be a string")]
    public async Task A_malformed_batch_is_refused_with_the_reason(string json, string reason)
    {
        var (status, body) = await Read(await q.SignalAsync(json));

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(reason, body);
    }

    [Fact]
    public async Task A_batch_naming_an_unknown_person_is_refused_whole_naming_them()
    {
        var (status, body) = await Read(await q.SignalAsync(new
        {
            events = new object[]
            {
                new { type = "interaction-handled", email = QuietBot.Email(0), tenant = Activities.Tenant },
                new { type = "interaction-handled", email = "nobody@contoso.example", tenant = Activities.Tenant },
            },
        }));

        Assert.Equal(HttpStatusCode.UnprocessableEntity, status);
        Assert.Contains("Unknown person 'nobody@contoso.example' (events[1])", body);
        Assert.Equal(0, await HandledAsync(0));
    }

    [Fact]
    public async Task Batches_are_bounded_in_events_and_bytes()
    {
        var tooMany = await Read(await q.SignalAsync(QuietBot.Many("interaction-handled", 0, 101)));
        var tooBig = await Read(await q.SignalAsync(new { id = new string('x', 70_000), events = new[] { new { type = "shift-start", email = QuietBot.Email(0) } } }));

        Assert.Equal(HttpStatusCode.BadRequest, tooMany.Status);
        Assert.Contains("At most 100 events per request; this one has 101", tooMany.Body);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, tooBig.Status);
        Assert.Equal(0, await HandledAsync(0));
    }

    [Fact]
    public async Task A_body_that_is_not_json_content_is_refused()
    {
        var (status, _) = await Read(await q.SignalAsync(QuietBot.Events(("interaction-handled", 0)),
            tweak: r => r.Content!.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain")));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
    }

    [Fact]
    public async Task A_content_type_that_only_starts_like_json_is_refused()
    {
        var (status, _) = await Read(await q.SignalAsync(QuietBot.Events(("interaction-handled", 0)),
            tweak: r => r.Content!.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("application/jsonx")));

        Assert.Equal(HttpStatusCode.UnsupportedMediaType, status);
        Assert.Equal(0, await HandledAsync(0));
    }

    [Fact]
    public async Task Without_a_configured_secret_the_endpoint_is_off_and_says_how_to_switch_it_on()
    {
        await using var off = await QuietBot.StartAsync(settings: new() { ["QuietTime:SignalsSecret"] = "" });

        var (status, body) = await Read(await off.SignalAsync(QuietBot.Events(("interaction-handled", 0))));

        Assert.Equal(HttpStatusCode.NotFound, status);
        Assert.Contains("QuietTime__SignalsSecret", body);
    }
}
