"""Issue 18: masking respects the text limit and finds the forms people type."""

import pytest

import cunwu


def test_mask_refuses_text_over_the_limit():
    with pytest.raises(cunwu.InputError) as e:
        cunwu.mask("1" * ((64 << 20) + 1))
    assert e.value.code == "INPUT_TOO_LARGE"


def test_mask_finds_separated_and_full_width_forms():
    assert cunwu.mask("电话 +86 139-1234-5678") == "电话 139****5678"
    assert cunwu.mask("１３９１２３４５６７８") == "139****5678"
    assert cunwu.mask("卡号 6222 0212 3456 7894") == "卡号 [银行卡号已隐去]"
