using System.Text.Json;
using EmpowerBot.Channels.Slack;

namespace EmpowerBot.Tests.Channels.Slack;

/// <summary>An export's download buttons open their URL in the browser; Slack still reports the click, which does nothing.</summary>
public sealed class SlackLinkButtonTests
{
    private static JsonElement Clicked(string? url)
    {
        var payload = JsonSerializer.SerializeToElement(SlackTestKit.Click("U0ALEX", "export-ledger", "", "DU0ALEX", "1795000001.000100"));
        var json = System.Text.Json.Nodes.JsonNode.Parse(payload.GetRawText())!;
        if (url is not null) json["actions"]![0]!["url"] = url;
        return JsonSerializer.SerializeToElement(json);
    }

    [Fact]
    public void A_click_on_a_link_button_is_ignored_and_any_other_button_is_an_action()
    {
        var (link, why) = SlackPayloads.FromInteraction(Clicked("https://empowerbot.example/api/export/ledger.csv?t=x"));
        var (button, _) = SlackPayloads.FromInteraction(Clicked(null));

        Assert.Null(link);
        Assert.Equal("link button", why);
        Assert.NotNull(button);
    }
}
