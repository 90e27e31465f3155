using System.Net;
using System.Text.Json;
using EmpowerBot.Storage;
using EmpowerBot.Tests.Fixtures;
using static EmpowerBot.Tests.Channels.Slack.SlackTestKit;

namespace EmpowerBot.Tests.Channels.Slack;

/// <summary>The credit form as a Slack modal, and the App Home.</summary>
public sealed class SlackFormAndHomeTests : SlackBotTests
{
    /// <summary>Submits a modal the way Slack does: the view as opened, with the person's inputs in state.values.</summary>
    private Task<HttpResponseMessage> SubmitAsync(SlackCall opened, string user, string amount, string customer, string reason)
    {
        var view = opened.Body.GetProperty("view");
        return InteractionAsync(bot, new
        {
            type = "view_submission",
            team = new { id = Team, domain = "contoso" },
            user = new { id = user, username = user.ToLowerInvariant(), name = user.ToLowerInvariant(), team_id = Team },
            api_app_id = "A0APP",
            trigger_id = NewTrigger(),
            view = new
            {
                id = "V0FORM",
                team_id = Team,
                type = "modal",
                callback_id = view.GetProperty("callback_id").GetString(),
                private_metadata = view.GetProperty("private_metadata").GetString(),
                hash = "1795000000.abc",
                state = new
                {
                    values = new Dictionary<string, object>
                    {
                        ["amount"] = new { amount = new { type = "plain_text_input", value = amount } },
                        ["customer"] = new { customer = new { type = "plain_text_input", value = customer } },
                        ["reason"] = new { reason = new { type = "static_select", selected_option = new { text = new { type = "plain_text", text = reason }, value = reason } } },
                    },
                },
            },
        });
    }

    private static IEnumerable<JsonElement> Blocks(JsonElement surface) => surface.GetProperty("blocks").EnumerateArray();

    [Fact]
    public async Task The_credit_command_opens_the_form_as_a_modal_and_submitting_it_applies_the_credit()
    {
        var trigger = NewTrigger();
        using (await CommandAsync(bot, Alex, "credit", trigger: trigger)) { }

        var opened = await slack.WaitForAsync("views.open");
        Assert.Equal(trigger, opened.Str("trigger_id"));
        var view = opened.Body.GetProperty("view");
        Assert.Equal("modal", view.GetProperty("type").GetString());
        Assert.Equal("Give a credit", view.GetProperty("title").GetProperty("text").GetString());
        Assert.Equal(["amount", "customer", "reason"], Blocks(view).Where(b => b.GetProperty("type").GetString() == "input").Select(b => b.GetProperty("block_id").GetString()));
        Assert.Contains("Damaged item", view.GetRawText());

        using var submitted = await SubmitAsync(opened, Alex, "25", "acme-1042", "Late delivery");

        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        Assert.Equal("", await submitted.Content.ReadAsStringAsync()); // closes the modal
        var receipt = await slack.WaitForAsync("chat.postMessage", c => c.Everything.Contains("Credit applied"));
        Assert.Equal(Dm(Alex), receipt.Str("channel"));
        Assert.Contains("Applied $25.00 to ACME-1042", receipt.Str("text"));
        Assert.Single(await bot.RowsAsync(Tables.Budgets, $"{Team}|{Key(Alex)}|2026-11"), r => r.RowKey.StartsWith("credit|"));
    }

    [Fact]
    public async Task A_modal_submitted_with_a_wrong_input_stays_open_with_the_message_under_that_input()
    {
        using (await CommandAsync(bot, Alex, "credit")) { }
        var opened = await slack.WaitForAsync("views.open");

        using var submitted = await SubmitAsync(opened, Alex, "twenty-five", "acme-1042", "");

        Assert.Equal(HttpStatusCode.OK, submitted.StatusCode);
        var answer = JsonDocument.Parse(await submitted.Content.ReadAsStringAsync()).RootElement;
        Assert.Equal("errors", answer.GetProperty("response_action").GetString());
        var errors = answer.GetProperty("errors");
        Assert.Equal(["amount", "reason"], errors.EnumerateObject().Select(e => e.Name).Order());
        Assert.Equal("Pick a reason for the credit.", errors.GetProperty("reason").GetString());
        Assert.False(string.IsNullOrWhiteSpace(errors.GetProperty("amount").GetString()));
        await bot.SettledAsync(slack);
        Assert.Single(slack.CallsTo("views.open")); // no second modal
        Assert.Empty(slack.CallsTo("chat.postMessage"));
        Assert.DoesNotContain(await bot.RowsAsync(Tables.Budgets, $"{Team}|{Key(Alex)}|2026-11"), r => r.RowKey.StartsWith("credit|"));
    }

    [Fact]
    public async Task The_credit_command_opens_its_modal_while_a_slow_users_info_is_still_unanswered()
    {
        slack.Delays["users.info"] = TimeSpan.FromSeconds(30);
        var trigger = NewTrigger();
        using (await CommandAsync(bot, Alex, "credit", trigger: trigger)) { }

        var opened = await slack.WaitForAsync("views.open");

        Assert.Equal(trigger, opened.Str("trigger_id"));
        Assert.Equal("Give a credit", opened.Body.GetProperty("view").GetProperty("title").GetProperty("text").GetString());
        Assert.Empty(slack.CallsTo("users.info")); // still unanswered: the modal did not wait for it
    }

    [Fact]
    public async Task No_text_slack_shows_carries_markdown_double_stars()
    {
        using (await EventAsync(bot, Event(new { type = "app_home_opened", user = Alex, channel = Dm(Alex), tab = "home", event_ts = "1.1" }))) { }
        await slack.WaitForAsync("views.publish");
        foreach (var said in new[] { "obstacle anonymously the refunds mailbox isn't monitored", "obstacle 1", "obstacles", "obstacle", "help", "budget", "undo" })
        {
            using (await EventAsync(bot, DirectMessage(Alex, said))) { }
        }
        using (await CommandAsync(bot, Alex, "obstacle")) { }
        await slack.WaitForAsync("views.open");
        await slack.WaitForAsync("views.publish", c => c.Everything.Contains("refunds mailbox"));
        var calls = await bot.SettledAsync(slack);

        Assert.True(calls.Count(c => c.Method == "chat.postMessage") >= 7, string.Join(", ", calls.Select(c => c.Method)));
        var starred = calls.SelectMany(c => BlockKitTemplateTests.Texts(System.Text.Json.Nodes.JsonNode.Parse(c.Everything)).Select(t => (c.Method, Text: t)))
            .Where(t => t.Text.Contains("**", StringComparison.Ordinal)).ToList();
        Assert.True(starred.Count == 0, string.Join("\n", starred.Select(t => $"{t.Method}: {t.Text}")));
        // The anonymous obstacle's card notice ("check on it any time with **obstacle 1**") in Slack's bold.
        Assert.Contains(calls, c => c.Method == "chat.postMessage" && c.Everything.Contains("*obstacle 1*") && !c.Everything.Contains("**obstacle 1**"));
    }

    [Fact]
    public async Task A_message_missing_a_part_brings_a_button_that_opens_the_prefilled_form()
    {
        using (await EventAsync(bot, DirectMessage(Alex, "credit $25 for late delivery"))) { }

        var launcher = await slack.WaitForAsync("chat.postMessage");
        Assert.Contains("I need a little more", launcher.Str("text"));
        var button = Blocks(launcher.Body).Single(b => b.GetProperty("type").GetString() == "actions").GetProperty("elements")[0];
        Assert.Equal("credit-form", button.GetProperty("action_id").GetString());
        Assert.Empty(slack.CallsTo("views.open"));

        using (await InteractionAsync(bot, Click(Alex, "credit-form", button.GetProperty("value").GetString()!, Dm(Alex), launcher.Answer.GetProperty("ts").GetString()!))) { }

        var opened = await slack.WaitForAsync("views.open");
        var inputs = opened.Body.GetProperty("view").GetRawText();
        Assert.Contains("\"initial_value\":\"25.00\"", inputs);
        Assert.Contains("\"initial_option\":{\"text\":{\"type\":\"plain_text\",\"text\":\"Late delivery\"},\"value\":\"Late delivery\"}", inputs);
        Assert.DoesNotContain("\"initial_value\":\"\"", inputs);
        using (await SubmitAsync(opened, Alex, "25.00", "ACME-7", "Late delivery")) { }
        Assert.Contains("Applied $25.00 to ACME-7", (await slack.WaitForAsync("chat.postMessage", c => c.Everything.Contains("Credit applied"))).Str("text"));
    }

    [Fact]
    public async Task Opening_the_app_home_publishes_the_budget_and_it_follows_a_credit()
    {
        using (await EventAsync(bot, Event(new { type = "app_home_opened", user = Alex, channel = Dm(Alex), tab = "home", event_ts = "1.1" }))) { }

        var home = await slack.WaitForAsync("views.publish");
        Assert.Equal(Alex, home.Str("user_id"));
        var view = home.Body.GetProperty("view");
        Assert.Equal("home", view.GetProperty("type").GetString());
        Assert.Contains("Hi Alex!", view.GetRawText());
        Assert.Contains("*$200.00* left to spend", view.GetRawText());
        Assert.Contains("You have no credits waiting for approval.", view.GetRawText());
        Assert.DoesNotContain("waiting for your decision", view.GetRawText()); // a manager's section; Alex is a rep
        var ids = Blocks(view).Where(b => b.TryGetProperty("block_id", out _)).Select(b => b.GetProperty("block_id").GetString()).ToList();
        Assert.Equal(ids.Distinct().Count(), ids.Count);

        using (await EventAsync(bot, DirectMessage(Alex, "credit $25 to ACME-1042 for late delivery"))) { }

        var after = await slack.WaitForAsync("views.publish", c => c.Everything.Contains("*$175.00* left"));
        Assert.Contains("ACME-1042", after.Everything);
    }

    [Fact]
    public async Task A_manager_s_app_home_shows_the_pending_request_and_is_refreshed_when_it_is_decided()
    {
        using (await EventAsync(bot, Event(new { type = "app_home_opened", user = Megan, channel = Dm(Megan), tab = "home", event_ts = "1.1" }))) { }
        Assert.Contains("Nothing is waiting for your decision", (await slack.WaitForAsync("views.publish")).Everything);

        using (await EventAsync(bot, DirectMessage(Alex, "credit $150 to ACME-1042 for late delivery"))) { }

        var pending = await slack.WaitForAsync("views.publish", c => c.Str("user_id") == Megan && c.Everything.Contains("approval.approve"));
        var approve = Blocks(pending.Body.GetProperty("view"))
            .Where(b => b.GetProperty("type").GetString() == "actions")
            .SelectMany(b => b.GetProperty("elements").EnumerateArray().Select(e => (Block: b.GetProperty("block_id").GetString()!, Element: e)))
            .Single(x => x.Element.GetProperty("action_id").GetString() == "approval.approve");
        var payload = new
        {
            type = "block_actions",
            user = new { id = Megan, username = "megan", name = "megan", team_id = Team },
            team = new { id = Team },
            trigger_id = NewTrigger(),
            container = new { type = "view", view_id = "V0HOME" },
            view = new { id = "V0HOME", type = "home", state = new { values = new { } } },
            actions = new[] { new { type = "button", action_id = "approval.approve", block_id = approve.Block, value = approve.Element.GetProperty("value").GetString() } },
        };
        var published = slack.CallsTo("views.publish").Count;
        using (await InteractionAsync(bot, payload)) { }

        await slack.WaitForAsync("views.publish", c => c.Str("user_id") == Megan && c.Everything.Contains("Nothing is waiting for your decision"), skip: published);
        await slack.WaitForAsync("chat.postMessage", c => c.Str("channel") == Dm(Alex) && (c.Str("text") ?? "").Contains("approved"));
    }

    [Fact]
    public async Task The_first_visit_to_the_messages_tab_is_greeted_once()
    {
        var visit = new { type = "app_home_opened", user = Alex, channel = Dm(Alex), tab = "messages", event_ts = "1.1" };

        using (await EventAsync(bot, Event(visit))) { }
        var welcome = await slack.WaitForAsync("chat.postMessage");
        using (await EventAsync(bot, Event(visit))) { }
        await bot.SettledAsync(slack);

        Assert.Contains("Hi Alex, welcome to EmpowerBot", welcome.Everything);
        Assert.Single(slack.CallsTo("chat.postMessage"));
    }
}
