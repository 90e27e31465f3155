using System.Text.Json.Nodes;
using EmpowerBot.Conversation.Cards;

namespace EmpowerBot.Tests.Conversation.Cards;

public sealed class CardTextTests
{
    [Theory]
    [InlineData("**URGENT**", @"\*\*URGENT\*\*")]
    [InlineData("_italic_ and ~strike~", @"\_italic\_ and \~strike\~")]
    [InlineData("[click](https://evil.example)", @"\[click\](https://evil.example)")]
    [InlineData("<b>bold</b> & <at>Megan</at>", @"\<b\>bold\</b\> \& \<at\>Megan\</at\>")]
    [InlineData("`rm -rf`", @"\`rm -rf\`")]
    [InlineData(@"C:\temp | pipes", @"C:\\temp \| pipes")]
    [InlineData("# heading", @"\# heading")]
    [InlineData("- bullet\n+ other\n> quote\n12. numbered\n3) also", "\\- bullet\n\\+ other\n\\> quote\n12\\. numbered\n3\\) also")]
    [InlineData("a-b #12 2.5 (fine)", "a-b #12 2.5 (fine)")]
    [InlineData("{{DATE(2026-11-22T00:00:00Z)}}", "{\u200B{DATE(2026-11-22T00:00:00Z)}}")]
    [InlineData("${name} stays as typed", "${name} stays as typed")]
    public void Markdown_and_card_formatting_become_plain_characters(string typed, string inert) =>
        Assert.Equal(inert, CardText.Inert(typed));

    [Fact]
    public void Line_breaks_are_kept_but_runs_of_blank_lines_control_characters_and_indentation_are_not() =>
        Assert.Equal("one\ntwo\n\nthree", CardText.Inert("  one\r\n    two\n\n\n\n\tthree\u0007  "));

    [Fact]
    public void Long_text_is_cut_with_an_ellipsis_without_splitting_an_emoji()
    {
        Assert.Equal("abcd…", CardText.Inert("abcdefgh", 5));
        Assert.Equal("abc…", CardText.Inert("abc😀def", 5));
        Assert.Equal("", CardText.Inert(null));
    }

    [Fact]
    public void The_binder_never_reads_a_data_value_as_a_binding()
    {
        var binder = CardTemplateBinder.Parse("""{"type":"TextBlock","text":"${text}","more":"said: ${text}"}""");

        var card = binder.Bind(JsonNode.Parse("""{"text":"${secret} and ${$root.text} and `x`","secret":"leaked"}"""))!;

        Assert.Equal("${secret} and ${$root.text} and `x`", (string?)card["text"]);
        Assert.Equal("said: ${secret} and ${$root.text} and `x`", (string?)card["more"]);
    }
}
