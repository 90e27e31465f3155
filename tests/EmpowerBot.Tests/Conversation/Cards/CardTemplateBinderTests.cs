using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using EmpowerBot.Conversation.Cards;

namespace EmpowerBot.Tests.Conversation.Cards;

/// <summary>
/// Every expected output below was produced by the official engine,
/// adaptivecards-templating 2.3.1 with adaptive-expressions 4.23.3:
/// <c>JSON.stringify(new Template(template).expand({ $root: data }))</c>.
/// </summary>
public sealed class CardTemplateBinderTests
{
    private const string Data = """
        {
          "name": "Alex", "n": 25, "f15": 1.5, "big": 1e21, "small": 1e-7, "z": 0, "t": true, "f": false, "nul": null,
          "obj": { "a": 1 }, "arr": [1, "x", null, true],
          "items": [{ "v": "a", "k": 1 }, { "v": "b", "k": 2 }], "empty": [], "one": [{ "v": "z" }],
          "nested": { "b": [{ "c": "deep" }] }, "inner": { "v": "in", "list": [{ "w": 1 }, { "w": 2 }] }
        }
        """;

    // JSON.stringify leaves non-ASCII characters and quotes as they are.
    private static readonly JsonSerializerOptions AsJavaScriptWritesIt = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    private static string Bind(string template, string data = Data) =>
        CardTemplateBinder.Parse(template).Bind(JsonNode.Parse(data))?.ToJsonString(AsJavaScriptWritesIt) ?? "null";

    [Fact]
    public void A_lone_binding_keeps_the_json_type_of_its_value() =>
        Assert.Equal(
            """{"s":"Alex","n":25,"b":true,"o":{"a":1},"a":[1,"x",null,true],"z":null}""",
            Bind("""{"s":"${name}","n":"${n}","b":"${t}","o":"${obj}","a":"${arr}","z":"${nul}"}"""));

    [Fact]
    public void Bindings_inside_text_are_written_the_way_javascript_writes_them() =>
        Assert.Equal(
            """{"x":"n=25 f=1.5 big=1e+21 small=1e-7 t=true o=[object Object] a=1,x,,true"}""",
            Bind("""{"x":"n=${n} f=${f15} big=${big} small=${small} t=${t} o=${obj} a=${arr}"}"""));

    [Fact]
    public void A_missing_field_stays_in_the_card_as_its_binding_text() =>
        Assert.Equal(
            """{"x":"${missing}","y":"v=${a.b[0].c} ok","z":"${$root.gone}","i":"${$index}"}""",
            Bind("""{"x":"${missing}","y":"v=${a.b[0].c} ok","z":"${ $root.gone }","i":"${$index}"}"""));

    [Fact]
    public void Paths_follow_members_indexes_and_root_ignoring_case() =>
        Assert.Equal(
            """{"a":"deep","b":"b","c":"Alex","d":"Alex","e":1,"f":"Alex","g":"${items[5].v}"}""",
            Bind("""{"a":"${nested.b[0].c}","b":"${items[1].v}","c":"${$root.name}","d":"${$data.name}","e":"${obj['a']}","f":"${NAME}","g":"${items[5].v}"}"""));

    [Fact]
    public void A_field_whose_name_is_written_with_escapes_is_found_ignoring_case_and_the_first_match_wins() =>
        Assert.Equal(
            """{"a":"escaped","c":"first"}""",
            Bind("""{"a":"${NAME}","c":"${dup}"}""", """{"n\u0061me":"escaped","Dup":"first","dup":"second"}"""));

    [Fact]
    public void A_lone_constant_becomes_text() =>
        Assert.Equal(
            """{"a":"5","b":"true","c":"it's","d":"1.5"}""",
            Bind("""{"a":"${5}","b":"${true}","c":"${'it\\'s'}","d":"${ 1.50 }"}"""));

    [Fact]
    public void Escapes_stray_dollars_and_unfinished_bindings_stay_text() =>
        Assert.Equal(
            """{"a":"${name}","b":"cost $5 for Alex","c":"$5 Alex $","d":"C:\\temp Alex","e":"${}","f":"{Alex}","g":"} Alex","h":"${na\nme} Alex","i":"no binding here `quoted` \\"}""",
            Bind("""{"a":"\\${name}","b":"cost \\$5 for ${name}","c":"$5 ${name} $","d":"C:\\temp ${name}","e":"${}","f":"{${name}}","g":"${'}'} ${name}","h":"${na\nme} ${name}","i":"no binding here `quoted` \\"}"""));

    [Fact]
    public void Data_over_a_list_repeats_the_element_once_per_item_with_its_index() =>
        Assert.Equal(
            """{"body":[{"type":"TextBlock","text":"0: a"},{"type":"TextBlock","text":"1: b"}]}""",
            Bind("""{"body":[{"type":"TextBlock","$data":"${items}","text":"${$index}: ${v}"}]}"""));

    [Fact]
    public void Data_over_an_empty_list_drops_the_element_but_a_missing_list_repeats_it_once() =>
        Assert.Equal(
            """{"body":[{"type":"TextBlock","text":"before"},{"type":"TextBlock","text":"${v}"}]}""",
            Bind("""{"body":[{"type":"TextBlock","text":"before"},{"type":"TextBlock","$data":"${empty}","text":"${v}"},{"type":"TextBlock","$data":"${missing}","text":"${v}"}]}"""));

    [Fact]
    public void Data_over_an_object_rebinds_the_scope_while_root_stays_reachable() =>
        Assert.Equal(
            """{"body":[{"type":"Container","items":[{"type":"TextBlock","text":"in"},{"type":"TextBlock","text":"1 of Alex"},{"type":"TextBlock","text":"2 of Alex"}]}]}""",
            Bind("""{"body":[{"type":"Container","$data":"${inner}","items":[{"type":"TextBlock","text":"${v}"},{"type":"TextBlock","$data":"${list}","text":"${w} of ${$root.name}"}]}]}"""));

    [Fact]
    public void Index_belongs_to_the_innermost_list() =>
        Assert.Equal(
            """{"body":[{"a":0,"sub":[{"b":0}],"c":0,"d":{"e":0}},{"a":1,"sub":[{"b":0}],"c":1,"d":{"e":1}}]}""",
            Bind("""{"body":[{"$data":"${items}","a":"${$index}","sub":[{"$data":"${$root.one}","b":"${$index}"}],"c":"${$index}","d":{"e":"${$index}"}}]}"""));

    [Fact]
    public void A_property_bound_to_a_list_becomes_an_array_a_single_object_or_null() =>
        Assert.Equal(
            """{"many":[{"v":"a"},{"v":"b"}],"single":{"v":"z"},"none":null}""",
            Bind("""{"many":{"$data":"${items}","v":"${v}"},"single":{"$data":"${one}","v":"${v}"},"none":{"$data":"${empty}","v":"${v}"}}"""));

    [Fact]
    public void When_keeps_an_element_only_if_it_evaluates_to_true() =>
        Assert.Equal(
            """{"body":[{"x":1},{"x":5},{"x":6}]}""",
            Bind("""{"body":[{"$when":"${t}","x":1},{"$when":"${f}","x":2},{"$when":"${missing}","x":3},{"$when":"${name}","x":4},{"$when":"${!missing}","x":5},{"$when":"${count(items) > 1}","x":6}]}"""));

    [Fact]
    public void When_sees_each_repeated_item_and_its_index() =>
        Assert.Equal(
            """{"body":[{"x":"a"},{"x":"b"},{"y":"a"}]}""",
            Bind("""{"body":[{"$data":"${items}","$when":"${k > 1 || $index == 0}","x":"${v}"},{"$data":"${items}","$when":"${$index < 1}","y":"${v}"}]}"""));

    [Fact]
    public void A_property_whose_when_is_false_is_left_as_null() =>
        Assert.Equal("""{"sel":null,"keep":{"x":2}}""", Bind("""{"sel":{"$when":"${f}","x":1},"keep":{"$when":"${t}","x":2}}"""));

    [Fact]
    public void Reserved_keys_never_reach_the_card() =>
        Assert.Equal("""{"a":1}""", Bind("""{"a":1,"$root":2,"$index":3,"$host":4,"$_acTemplateVersion":5}"""));

    [Fact]
    public void Arrays_splice_nested_lists_and_drop_nulls_as_the_engine_does() =>
        Assert.Equal(
            """{"x":[1,2,3],"y":[1,2],"z":[1,"x",null,true,"Alex"],"w":[null,7]}""",
            Bind("""{"x":[[1,2],[3]],"y":[1,null,2],"z":["${arr}","${name}"],"w":["${nul}","${obj['zz']}",7]}"""));

    [Fact]
    public void Literal_numbers_are_written_as_javascript_writes_them() =>
        Assert.Equal("""{"a":1.5,"b":100,"c":0,"d":2.5e-7}""", Bind("""{"a":1.50,"b":100,"c":-0.0,"d":2.5e-7}"""));

    [Theory]
    [InlineData("!t", """{"x":false}""")]
    [InlineData("!z", """{"x":false}""")] // only false, null and missing are falsy: 0 and '' are true
    [InlineData("!missing", """{"x":true}""")]
    [InlineData("not(f)", """{"x":true}""")]
    [InlineData("n == 25", """{"x":true}""")]
    [InlineData("n == '25'", """{"x":false}""")]
    [InlineData("name == 'alex'", """{"x":false}""")]
    [InlineData("missing == nul", """{"x":true}""")]
    [InlineData("obj == obj", """{"x":true}""")]
    [InlineData("n != 25", """{"x":false}""")]
    [InlineData("n > 20", """{"x":true}""")]
    [InlineData("'Alex' > 'Aaron'", """{"x":true}""")]
    [InlineData("n <= 24", """{"x":false}""")]
    [InlineData("n >= 25", """{"x":true}""")]
    [InlineData("n < 26", """{"x":true}""")]
    [InlineData("missing > 1", """{"x":false}""")]
    [InlineData("t && n > 1", """{"x":true}""")]
    [InlineData("name && t", """{"x":true}""")]
    [InlineData("missing && t", """{"x":false}""")]
    [InlineData("f || name", """{"x":true}""")]
    [InlineData("f || nul", """{"x":null}""")] // || hands back its last operand when nothing is true
    [InlineData("f || missing", """{}""")]
    [InlineData("!t == f", """{"x":true}""")]
    [InlineData("t || f && f", """{"x":true}""")]
    [InlineData("equals(n, 25)", """{"x":true}""")]
    [InlineData("equals(missing, nul)", """{"x":true}""")]
    [InlineData("count(items)", """{"x":2}""")]
    [InlineData("count(name)", """{"x":4}""")]
    [InlineData("count(obj)", """{"x":1}""")]
    [InlineData("count(missing)", """{"x":10}""")] // counts the characters of the substituted "${missing}"
    [InlineData("count(empty) == 0", """{"x":true}""")]
    [InlineData("empty(empty)", """{"x":true}""")]
    [InlineData("empty('')", """{"x":true}""")]
    [InlineData("empty(missing)", """{"x":true}""")]
    [InlineData("empty(obj)", """{"x":false}""")]
    [InlineData("empty(z)", """{"x":false}""")]
    [InlineData("empty(items)", """{"x":false}""")]
    [InlineData("if(t, 'yes', 'no')", """{"x":"yes"}""")]
    [InlineData("if(missing, 'yes', 'no')", """{"x":"no"}""")]
    [InlineData("if(name, n, 0)", """{"x":25}""")]
    [InlineData("if(t, missing, 'no')", """{"x":"${missing}"}""")]
    [InlineData("if(n > 1, items[0], nul)", """{"x":{"v":"a","k":1}}""")]
    public void Expressions_evaluate_as_in_the_official_engine(string expression, string expected) =>
        Assert.Equal(expected, Bind($$"""{"x":"${{{expression}}}"}"""));

    [Theory]
    [InlineData("""{"x":"${n > 'a'}"}""", "must be comparable")]
    [InlineData("""{"x":"${count(nul)}"}""", "null")]
    [InlineData("""{"x":"${missing[0]}"}""", "is not a collection")]
    [InlineData("""{"x":"${arr[9]}"}""", "out of range")]
    [InlineData("""{"x":"v=${nul}"}""", "cannot be spliced into text")]
    [InlineData("""{"x":"v=${f || missing}"}""", "cannot be spliced into text")]
    public void Bindings_the_official_engine_fails_on_fail_here_too(string template, string reason)
    {
        var error = Assert.Throws<CardTemplateException>(() => Bind(template));
        Assert.Contains(reason, error.Message);
        Assert.Contains("$.x", error.Message);
    }

    [Theory]
    [InlineData("""{"x":"${a + b}"}""", "'+'")]
    [InlineData("""{"x":"${foo(1)}"}""", "function 'foo'")]
    [InlineData("""{"x":"${arr[z]}"}""", "index")]
    [InlineData("""{"x":"${if(t, 1)}"}""", "3 argument")]
    [InlineData("""{"x":"${count(1)}"}""", "count()")]
    [InlineData("""{"x":"${t ? 1 : 2}"}""", "'?'")]
    [InlineData("""{"x":"${$host.name}"}""", "$host")]
    [InlineData("""{"x":"`code` ${name}"}""", "backquote")]
    [InlineData("""{"x":"${ }"}""", "empty")]
    [InlineData("""{"x":{"$when":true}}""", "$when")]
    [InlineData("""{"x":{"$when":"${t} "}}""", "$when")]
    [InlineData("""{"x":{"$data":[{"v":"${name}"}]}}""", "$data")]
    public void Unsupported_template_syntax_fails_when_parsed_naming_the_culprit(string template, string culprit)
    {
        var error = Assert.Throws<CardTemplateException>(() => CardTemplateBinder.Parse(template));
        Assert.Contains(culprit, error.Message);
    }

    [Fact]
    public void Binding_json_nodes_and_json_elements_gives_the_same_card_and_changes_neither_input()
    {
        var template = JsonNode.Parse("""{"body":[{"$data":"${items}","text":"${v}"}]}""")!;
        var data = JsonNode.Parse(Data)!;
        var binder = new CardTemplateBinder(template);

        var fromNode = binder.Bind(data)!.ToJsonString();
        var fromElement = binder.Bind(JsonSerializer.SerializeToElement(data))!.ToJsonString();

        Assert.Equal("""{"body":[{"text":"a"},{"text":"b"}]}""", fromNode);
        Assert.Equal(fromNode, fromElement);
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse("""{"body":[{"$data":"${items}","text":"${v}"}]}"""), template));
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(Data), data));
    }

    [Fact]
    public void One_binder_serves_many_threads_at_once()
    {
        var binder = CardTemplateBinder.Parse("""{"body":[{"$data":"${items}","$when":"${k > 0}","text":"${$index}: ${v} for ${$root.who}"}]}""");

        var cards = Enumerable.Range(0, 400).AsParallel().WithDegreeOfParallelism(8)
            .Select(i => (i, card: binder.Bind(JsonNode.Parse($$"""{"who":"rep {{i}}","items":[{"v":"a","k":1},{"v":"b","k":2}]}"""))!.ToJsonString()))
            .ToArray();

        Assert.All(cards, c => Assert.Equal($$"""{"body":[{"text":"0: a for rep {{c.i}}"},{"text":"1: b for rep {{c.i}}"}]}""", c.card));
    }
}
