using System.Net;
using System.Text;
using System.Text.Json;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;

namespace EmpowerBot.Tests.Channels.BotFramework;

public sealed class MessagesEndpointTests : IAsyncLifetime
{
    private readonly BotHost bot = new();
    private FakeConnector connector = null!;

    public async Task InitializeAsync() => connector = await FakeConnector.StartAsync();

    public async Task DisposeAsync()
    {
        bot.Dispose();
        await connector.DisposeAsync();
    }

    [Fact]
    public async Task Budget_answers_with_the_budget_card_in_the_reply()
    {
        var replies = await bot.ExchangeAsync(Activities.Message("budget"));

        var reply = Assert.Single(replies);
        var card = reply.GetProperty("attachments")[0];
        Assert.Equal("application/vnd.microsoft.card.adaptive", card.GetProperty("contentType").GetString());
        var json = card.GetProperty("content").GetRawText();
        Assert.Contains("$200.00", json);
        Assert.Contains("Alex Wilber", json);
        Assert.Equal("message", reply.GetProperty("type").GetString());
    }

    [Theory]
    [InlineData("balance")]
    [InlineData("How much do I have left?")]
    [InlineData("<at>EmpowerBot</at> budget")]
    [InlineData("  BUDGET  ")]
    public async Task Budget_is_recognised_in_its_usual_phrasings(string text)
    {
        var replies = await bot.ExchangeAsync(Activities.Message(text));

        Assert.Contains("$200.00", Assert.Single(replies).GetProperty("attachments")[0].GetRawText());
    }

    [Fact]
    public async Task Unknown_text_gets_a_short_help_with_examples()
    {
        var replies = await bot.ExchangeAsync(Activities.Message("what is the meaning of life"));

        var text = Assert.Single(replies).GetProperty("text").GetString()!;
        Assert.Contains("budget", text);
        Assert.Contains("help", text);
    }

    [Fact]
    public async Task Help_lists_the_commands_on_a_card()
    {
        var replies = await bot.ExchangeAsync(Activities.Message("help"));

        var content = Assert.Single(replies).GetProperty("attachments")[0].GetProperty("content").GetRawText();
        Assert.Contains("budget", content);
        Assert.Contains("help", content);
    }

    [Fact]
    public async Task Replies_are_posted_to_the_connector_when_the_channel_does_not_expect_them_inline()
    {
        using var response = await bot.PostAsync(Activities.Message("budget", connector.ServiceUrl, id: "act-1"));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var call = Assert.Single(connector.Calls);
        Assert.Equal("POST", call.Method);
        Assert.EndsWith("/activities/act-1", call.Path);
        Assert.Equal("act-1", call.Body.GetProperty("replyToId").GetString());
        Assert.Null(call.Authorization);
    }

    [Fact]
    public async Task Playground_install_and_conversation_update_welcome_once()
    {
        var recorded = Activities.PlaygroundExchange().Where(l => l.GetProperty("dir").GetString() == "in").Take(2).ToList();
        foreach (var line in recorded)
        {
            var activity = JsonSerializer.Deserialize<Dictionary<string, object?>>(line.GetProperty("activity").GetRawText())!;
            activity["serviceUrl"] = connector.ServiceUrl;
            using var response = await bot.PostAsync(activity);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var welcome = Assert.Single(connector.Posted);
        var content = welcome.GetProperty("attachments")[0].GetProperty("content").GetRawText();
        Assert.Contains("Alex", content);
        Assert.Contains("$200.00", content);
    }

    [Fact]
    public async Task Every_recorded_playground_activity_is_accepted()
    {
        foreach (var line in Activities.PlaygroundExchange().Where(l => l.GetProperty("dir").GetString() == "in"))
        {
            var activity = JsonSerializer.Deserialize<Dictionary<string, object?>>(line.GetProperty("activity").GetRawText())!;
            activity["serviceUrl"] = connector.ServiceUrl;
            using var response = await bot.PostAsync(activity);
            if ((string?)activity["type"]?.ToString() == "invoke")
            {
                // The recorded card's verb is not one of ours: a Universal Actions error response, not a crash.
                var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
                Assert.Equal((int)response.StatusCode, body.GetProperty("statusCode").GetInt32());
                Assert.Equal("application/vnd.microsoft.error", body.GetProperty("type").GetString());
                Assert.Contains("doExec", body.GetProperty("value").GetProperty("message").GetString());
            }
            else
            {
                Assert.True(response.IsSuccessStatusCode, $"{activity["type"]}: HTTP {(int)response.StatusCode}");
            }
        }
    }

    [Fact]
    public async Task A_card_button_whose_verb_is_a_command_answers_with_its_card_in_place()
    {
        using var response = await bot.PostAsync(Activities.Invoke("budget", new { }, connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var body = JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal(200, body.GetProperty("statusCode").GetInt32());
        Assert.Equal("application/vnd.microsoft.card.adaptive", body.GetProperty("type").GetString());
        Assert.Contains("$200.00", body.GetProperty("value").GetRawText());
        Assert.Empty(connector.Posted);
    }

    [Fact]
    public async Task A_card_action_with_garbled_data_is_refused_with_an_error_card()
    {
        var activity = Activities.Invoke("budget", new { }, connector.ServiceUrl);
        activity["value"] = "not an object";

        using var response = await bot.PostAsync(activity);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Equal("application/vnd.microsoft.error", JsonDocument.Parse(await response.Content.ReadAsStringAsync()).RootElement.GetProperty("type").GetString());
    }

    [Fact]
    public async Task A_submit_button_carrying_a_command_runs_it()
    {
        var activity = Activities.Message("", connector.ServiceUrl);
        activity.Remove("text");
        activity["value"] = new { command = "budget" };

        var replies = await bot.ExchangeAsync(activity);

        Assert.Contains("$200.00", Assert.Single(replies).GetRawText());
    }

    [Theory]
    [InlineData("typing")]
    [InlineData("messageReaction")]
    [InlineData("event")]
    public async Task Other_activity_types_are_acknowledged_and_ignored(string type)
    {
        var activity = Activities.Base(type, connector.ServiceUrl, "user-id-0", "Alex", Activities.AlexAad, null, Activities.Tenant);

        using var response = await bot.PostAsync(activity);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Empty(connector.Calls);
    }

    [Fact]
    public async Task Malformed_json_is_refused_with_a_reason_and_nothing_is_written()
    {
        using var response = await bot.PostAsync("{\"type\": \"message\", \"text\": ");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("Malformed", await response.Content.ReadAsStringAsync());
        Assert.Empty(await bot.RowsAsync(Tables.People, Activities.Tenant));
    }

    [Fact]
    public async Task Wrong_content_type_is_refused()
    {
        using var client = bot.CreateClient();
        using var response = await client.PostAsync("/api/messages", new StringContent(JsonSerializer.Serialize(Activities.Message("budget")), Encoding.UTF8, "text/plain"));

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("application/json", await response.Content.ReadAsStringAsync());
        Assert.Empty(await bot.RowsAsync(Tables.People, Activities.Tenant));
    }

    [Theory]
    [InlineData("application/jsonx")]
    [InlineData("application/json-patch+json")]
    [InlineData("application/jsonp; charset=utf-8")]
    public async Task A_content_type_that_only_starts_like_json_is_refused(string contentType)
    {
        using var response = await PostBudgetAsAsync(contentType);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Empty(await bot.RowsAsync(Tables.People, Activities.Tenant));
    }

    [Theory]
    [InlineData("application/json; charset=utf-8")]
    [InlineData("Application/JSON")]
    public async Task Json_with_parameters_or_in_any_case_is_accepted(string contentType)
    {
        using var response = await PostBudgetAsAsync(contentType);

        Assert.True(response.IsSuccessStatusCode, $"HTTP {(int)response.StatusCode}");
    }

    private async Task<HttpResponseMessage> PostBudgetAsAsync(string contentType)
    {
        using var client = bot.CreateClient();
        using var content = new StringContent(JsonSerializer.Serialize(Activities.Message("budget")), Encoding.UTF8);
        content.Headers.ContentType = System.Net.Http.Headers.MediaTypeHeaderValue.Parse(contentType);
        return await client.PostAsync("/api/messages", content);
    }

    [Fact]
    public async Task A_body_over_256_KB_is_refused()
    {
        using var response = await bot.PostAsync(Activities.Message(new string('x', 300 * 1024)));

        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, response.StatusCode);
        Assert.Empty(await bot.RowsAsync(Tables.People, Activities.Tenant));
    }

    [Theory]
    [InlineData("conversation")]
    [InlineData("from")]
    [InlineData("serviceUrl")]
    [InlineData("type")]
    public async Task An_activity_missing_what_a_turn_needs_is_refused(string member)
    {
        var activity = Activities.Message("budget");
        activity.Remove(member);

        using var response = await bot.PostAsync(activity);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains(member, await response.Content.ReadAsStringAsync());
        Assert.Empty(await bot.RowsAsync(Tables.People, Activities.Tenant));
    }

    [Fact]
    public async Task A_turn_saves_the_conversation_reference_for_proactive_messages()
    {
        await bot.ExchangeAsync(Activities.Message("budget", connector.ServiceUrl));

        var row = Assert.Single(await bot.RowsAsync(Tables.People, Activities.Tenant));
        Assert.Equal("aad:" + Activities.AlexAad, row.RowKey);
        Assert.Equal(connector.ServiceUrl, row.GetString("serviceUrl"));
        Assert.Equal("user-id-0", row.GetString("userId"));
    }

    [Fact]
    public async Task A_connector_that_fails_transiently_is_retried_until_the_reply_lands()
    {
        connector.FailNext(2, HttpStatusCode.ServiceUnavailable);

        using var response = await bot.PostAsync(Activities.Message("budget", connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Single(connector.Posted);
        Assert.Equal(3, connector.Attempts);
    }

    [Fact]
    public async Task A_reply_the_connector_cannot_take_is_not_lost_it_arrives_through_the_outbox()
    {
        connector.FailNext(5, HttpStatusCode.BadGateway);

        using var response = await bot.PostAsync(Activities.Message("budget", connector.ServiceUrl));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var posted = Assert.Single(await connector.WaitForPostedAsync(1, TimeSpan.FromSeconds(60)));
        Assert.Contains("$200.00", posted.GetProperty("attachments")[0].GetRawText());
        Assert.True(connector.Attempts > 5, $"the reply was sent again after the inline attempts ({connector.Attempts} attempts)");
        using var health = await bot.CreateClient().GetAsync("/healthz");
        Assert.Equal(HttpStatusCode.OK, health.StatusCode);
    }

    [Fact]
    public async Task Health_reports_storage_reachable()
    {
        using var response = await bot.CreateClient().GetAsync("/healthz");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Contains("reachable", await response.Content.ReadAsStringAsync());
    }
}
