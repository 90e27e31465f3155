using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using EmpowerBot.Conversation;
using EmpowerBot.Conversation.Cards;
using EmpowerBot.Obstacles;
using EmpowerBot.Policy;
using EmpowerBot.Tests.Fixtures;
using Microsoft.Extensions.Options;

namespace EmpowerBot.Tests.Obstacles;

/// <summary>The obstacle cards bound from their real view models, as the bot builds them.</summary>
public sealed class ObstacleCardsTests
{
    private static readonly CardTemplates Templates = new(Path.Combine(RepoPaths.Root, "cards"));

    private static readonly Roster Roster = new(
        Options.Create(new OrganizationOptions
        {
            DefaultTeam = "demo",
            UnlistedPeople = UnlistedPeople.DefaultTeam,
            Teams = [new TeamOptions { Id = "demo", Name = "Frontline Demo", TimeZone = "America/New_York", Members = [new MemberOptions { Id = "aad:megan", Name = "Megan Bowen", Role = "Manager" }] }],
        }),
        Options.Create(new PolicyOptions()));

    private static readonly ObstacleCards Cards = new(Roster);
    private static readonly Person Rep = Roster.Resolve("t", "aad:alex", "Alex Wilber");
    private static readonly Person Manager = Roster.Resolve("t", "aad:megan", "Megan Bowen");
    private static readonly DateTimeOffset Now = new(2026, 11, 22, 15, 0, 0, TimeSpan.Zero);

    private const string Typed = "**Nobody** reads [refunds@](https://x.example) <inbox>";
    private const string Shown = @"\*\*Nobody\*\* reads \[refunds@\](https://x.example) \<inbox\>";

    private static Obstacle Sample(ObstacleStatus status = ObstacleStatus.Open, string? note = null) => new(
        12, ObstacleKind.Obstacle, Typed, ObstacleCategory.SystemsAndTools, "demo", Now, status, 4, false, "aad:sam",
        status == ObstacleStatus.Open ? [] : [new StatusChange(status, note, "Megan Bowen", "aad:megan", Now.AddDays(1))], status == ObstacleStatus.Open ? 0 : 1);

    /// <summary>The bound card as JSON written the way the channel receives it, and the texts a person reads on it.</summary>
    private static string Json(object viewModel, string template) =>
        Templates.Bind(template, viewModel).ToJsonString(new JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });

    private static string Texts(object viewModel, string template) => JsonSerializer.SerializeToElement(Templates.Bind(template, viewModel)).Shown();

    public static TheoryData<string, Type> ViewModels() => new()
    {
        { "obstacle-form", typeof(ObstacleFormCard) },
        { "obstacle-similar", typeof(ObstacleSimilarCard) },
        { "obstacle-list", typeof(ObstacleListCard) },
        { "obstacle-status", typeof(ObstacleStatusCard) },
    };

    /// <summary>Each sample read into its record, refusing unknown fields, and written back is the sample: they match exactly.</summary>
    [Theory]
    [MemberData(nameof(ViewModels))]
    public void Every_sample_is_exactly_its_view_model_record(string template, Type viewModel)
    {
        var options = new JsonSerializerOptions(JsonSerializerDefaults.Web) { UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow, RespectRequiredConstructorParameters = true };
        var sample = JsonNode.Parse(File.ReadAllText(Path.Combine(RepoPaths.Root, "cards", "samples", $"{template}.data.json")))!;

        var record = sample.Deserialize(viewModel, options)!;

        Assert.True(JsonNode.DeepEquals(sample, JsonSerializer.SerializeToNode(record, viewModel, options)), $"{template}: the sample and {viewModel.Name} differ");
        Assert.True(JsonNode.DeepEquals(Templates.Bind(template, sample), Templates.Bind(template, record)));
    }

    [Fact]
    public void A_rep_sees_the_obstacle_inert_with_a_plus_one_and_no_status_actions()
    {
        var card = Json(Cards.Status(Sample(), Rep, backed: false, null), "obstacle-status");
        var submitter = Json(Cards.Status(Sample() with { Submitter = Rep.Key }, Rep, backed: true, null), "obstacle-status");

        Assert.Contains(Shown, Texts(Cards.Status(Sample(), Rep, backed: false, null), "obstacle-status"));
        Assert.Contains("obstacle.vote", card);
        Assert.DoesNotContain("obstacle.status", card);
        Assert.DoesNotContain("obstacle.category", card); // not theirs
        Assert.Contains("obstacle.category", submitter);
        Assert.DoesNotContain("obstacle.vote", submitter);
    }

    [Fact]
    public void A_manager_sees_the_status_actions_that_apply_and_the_note_box()
    {
        var open = Json(Cards.Status(Sample(), Manager, backed: true, "Marked"), "obstacle-status");
        var closedModel = Cards.Status(Sample(ObstacleStatus.Fixed, "Routed to *billing*"), Manager, backed: true, null);
        var closed = Json(closedModel, "obstacle-status");

        foreach (var status in new[] { "acknowledged", "in-progress", "fixed", "wontfix" }) Assert.Contains($"\"status\":\"{status}\"", open);
        Assert.Contains("\"id\":\"note\"", open);
        Assert.DoesNotContain("obstacle.vote", open);
        Assert.Contains("\"status\":\"open\"", closed);
        Assert.DoesNotContain("\"status\":\"fixed\"", closed);
        Assert.Contains(@"Routed to \*billing\*", Texts(closedModel, "obstacle-status"));
        Assert.Contains("Fixed since Nov 23", closed);
    }

    [Fact]
    public void The_list_gives_managers_a_status_menu_per_item_with_its_own_note_box()
    {
        var top = new[] { Sample(), Sample() with { Id = 7, Votes = 1 } };
        var manager = Json(Cards.List(top, 14, Manager, new HashSet<int> { 7 }), "obstacle-list");
        var rep = Json(Cards.List(top, 14, Rep, new HashSet<int> { 7 }), "obstacle-list");

        Assert.Contains("\"id\":\"note-12\"", manager);
        Assert.Contains("\"id\":\"note-7\"", manager);
        Assert.Contains("The 2 most backed of 14 open", manager);
        Assert.DoesNotContain("note-12", rep);
        Assert.Contains("+1 (4)", rep);
        Assert.DoesNotContain("+1 (1)", rep); // already backed #7
        Assert.Contains("you back it", rep);
    }

    [Fact]
    public void The_similar_card_carries_the_draft_as_typed_in_its_data_and_shows_it_inert()
    {
        var draft = new ObstacleDraft(ObstacleKind.Idea, Typed, ObstacleCategory.Process, Anonymous: true);

        var reply = ObstacleCards.Similar([Sample()], draft);
        var card = Templates.Bind("obstacle-similar", reply.Card!.Model);

        var log = card["actions"]![0]!;
        Assert.Equal("obstacle.log", (string?)log["verb"]);
        Assert.Equal(Typed, (string?)log["data"]!["text"]);
        Assert.Equal(("Idea", "Process", true), ((string?)log["data"]!["kind"], (string?)log["data"]!["category"], (bool)log["data"]!["anonymous"]!));
        var texts = Texts(reply.Card.Model, "obstacle-similar");
        Assert.Contains($"'{Shown}', backed by 4 people", texts);
        Assert.Contains(ObstacleCards.AnonymousNote, texts);
    }

    [Fact]
    public void The_form_comes_back_prefilled_with_the_problem_and_the_anonymous_toggle_on()
    {
        var card = Templates.Bind("obstacle-form", ObstacleCards.Form(ObstacleKind.Idea, "draft", ObstacleCategory.Policy, true, ["Too short."]).Card!.Model);

        var inputs = card["body"]!.AsArray().Where(e => ((string?)e!["type"])!.StartsWith("Input.", StringComparison.Ordinal)).ToDictionary(e => (string)e!["id"]!, e => e!["value"]?.ToString());
        Assert.Equal(new Dictionary<string, string?> { ["kind"] = "Idea", ["text"] = "draft", ["category"] = "Policy", ["anonymous"] = "true" }, inputs);
        Assert.Contains("Too short.", card.ToJsonString());
    }

    [Fact]
    public void An_idea_is_announced_as_done_to_the_one_who_suggested_it_never_as_fixed()
    {
        var change = new StatusChange(ObstacleStatus.Fixed, "shipped in the new macro set", "Megan Bowen", "aad:m", DateTimeOffset.UnixEpoch);
        var idea = Sample() with { Kind = ObstacleKind.Idea };

        var told = ObstacleNews.For(idea, change, raised: true).Text!;
        var backer = ObstacleNews.For(idea, change, raised: false).Text!;

        Assert.Contains("which you suggested, is done.", told);
        Assert.Contains("which you backed, is done.", backer);
        Assert.DoesNotContain("fixed", told + backer);
        Assert.Contains("is fixed.", ObstacleNews.For(Sample(), change, raised: true).Text!);
    }
}
